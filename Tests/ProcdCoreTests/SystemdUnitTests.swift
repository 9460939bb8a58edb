import Testing

@testable import ProcdCore

@Suite struct SystemdUnitTests {
    @Test(arguments: [
        ("plain", "plain"), ("/usr/local/bin/procd", "/usr/local/bin/procd"), ("a b", "\"a b\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""), ("back\\slash", "\"back\\\\slash\""), ("$HOME", "\"$$HOME\""),
        ("100%", "\"100%%\""), ("it's", "\"it's\""),
    ])
    func quotesForSystemd(_ text: String, _ expected: String) {
        #expect(SystemdUnit.quote(text) == expected)
    }

    @Test func aSystemUnitRunsAsItsUser() {
        let unit = SystemdUnit(daemonPath: "/opt/procd/procd", clientPath: "/opt/procd/procctl", home: "/home/ana/.procd",
                               path: "/usr/bin:/bin", user: "ana")
        #expect(unit.fileName == "procd-ana.service")
        #expect(!unit.isUserUnit)
        let text = unit.render()
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("User=ana"))
        #expect(lines.contains("Environment=PROCD_HOME=/home/ana/.procd"))
        #expect(lines.contains("ExecStart=/opt/procd/procd --foreground --resurrect"))
        #expect(lines.contains("ExecReload=/opt/procd/procctl reload-logs"))
        #expect(lines.contains("WantedBy=multi-user.target"))
        #expect(lines.contains("LimitNOFILE=1048576"))
    }

    @Test func aUserUnitHasNoUserLine() {
        let unit = SystemdUnit(daemonPath: "/a b/procd", clientPath: "/c", home: "/h", path: "/bin", user: nil)
        #expect(unit.fileName == "procd.service")
        #expect(unit.isUserUnit)
        let text = unit.render()
        #expect(!text.contains("User="))
        #expect(!text.contains("Documentation="), "procctl startup cannot know that the man pages are installed")
        #expect(text.contains("ExecStart=\"/a b/procd\" --foreground --resurrect\n"))
        #expect(text.contains("WantedBy=default.target\n"))
        #expect(text.contains("LimitNOFILE=1048576\n"))
    }

    @Test func rootsUnitIsPlainProcdService() {
        #expect(SystemdUnit(daemonPath: "/p", clientPath: "/c", home: "/root/.procd", path: "/bin", user: "root").fileName == "procd.service")
    }

    @Test func thePackagedUnitsAreAUserUnitAndATemplateWithoutAHome() {
        let units = SystemdUnit.packaged(binaries: "/usr/bin")
        #expect(units.map(\.fileName) == ["procd.service", "procd@.service"])
        #expect(units.map(\.isUserUnit) == [true, false])
        for unit in units {
            let lines = unit.render().split(separator: "\n").map(String.init)
            #expect(!lines.contains { $0.hasPrefix("Environment=") }, "a packaged unit takes procd's default home")
            #expect(lines.contains("ExecStart=/usr/bin/procd --foreground --resurrect"))
            #expect(lines.contains("ExecReload=/usr/bin/procctl reload-logs"))
            #expect(lines.contains("Documentation=man:procd(8) man:procctl(1)"))
        }
        let template = units[1].render().split(separator: "\n").map(String.init)
        #expect(template.contains("User=%i"))
        #expect(template.contains("Description=procd process manager for %i"))
        #expect(template.contains("WantedBy=multi-user.target"))
    }
}
