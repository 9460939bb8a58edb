import Testing

@testable import ProcdCore

@Suite struct MetricsTextTests {
    @Test func writesHelpTypeAndLabelledSamples() {
        var text = MetricsText()
        text.family("procd_process_up", .gauge, help: "1 when online.", [([("app", "web"), ("id", "0")], 1), ([("app", "api"), ("id", "1")], 0)])
        text.family("procd_daemon_uptime_seconds", .gauge, help: "Up.", value: 1.5)
        #expect(text.text == """
            # HELP procd_process_up 1 when online.
            # TYPE procd_process_up gauge
            procd_process_up{app="web",id="0"} 1
            procd_process_up{app="api",id="1"} 0
            # HELP procd_daemon_uptime_seconds Up.
            # TYPE procd_daemon_uptime_seconds gauge
            procd_daemon_uptime_seconds 1.5

            """)
    }

    @Test(arguments: [("plain", "plain"), ("a\"b", "a\\\"b"), ("back\\slash", "back\\\\slash"), ("two\nlines", "two\\nlines"), ("crlf\r\n", "crlf\\n")])
    func escapesLabelValues(_ value: String, _ escaped: String) {
        #expect(MetricsText.escapeLabel(value) == escaped)
    }

    @Test(arguments: [(0.0, "0"), (42.0, "42"), (0.25, "0.25"), (Double.nan, "NaN"), (Double.infinity, "+Inf"), (1e20, "1e+20")])
    func writesNumbersPrometheusReads(_ value: Double, _ text: String) {
        #expect(MetricsText.number(value) == text)
    }
}
