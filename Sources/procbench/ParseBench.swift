import Foundation
import ProcdCore
import ProcdPlatform

/// How long reading an N-app ecosystem file takes as YAML against the same file as JSON:
/// the text is in memory, so only the parsers are timed (the SPEC's issue asks YAML for
/// at most twice JSON's time with 1000 apps).
enum ParseBench {
    static let usage = """
        usage: procbench parse [--apps N] [--samples N]

        Parses one ecosystem file of N apps (default 1000) written as JSON and as YAML,
        N samples of each, interleaved (default 40); prints the medians, ranges and ratio.

        """

    /// An ecosystem document of `count` apps with the attributes real files use.
    static func document(apps count: Int) -> JSON {
        let apps: [JSON] = (0..<count).map { n in
            .object([
                "name": .string("api-\(n)"),
                "script": .string("./services/api/server.js"),
                "args": .array([.string("--port"), .string("\(3000 + n)"), .string("--verbose")]),
                "cwd": .string("/srv/app/\(n % 10)"),
                "instances": .int(n % 4 + 1),
                "exec_mode": .string("cluster"),
                "autorestart": .bool(true),
                "max_restarts": .int(10),
                "min_uptime": .string("5s"),
                "kill_timeout": .int(3000),
                "max_memory_restart": .string("300M"),
                "log_date_format": .string("YYYY-MM-DD HH:mm Z"),
                "env": .object(["NODE_ENV": .string("development"), "PORT": .int(3000 + n), "DEBUG": .string("app:*")]),
                "env_production": .object(["NODE_ENV": .string("production"), "API_URL": .string("https://api.example.com/v1")]),
            ])
        }
        return .object(["apps": .array(apps)])
    }

    /// `procbench parse`.
    static func run(_ arguments: [String]) throws -> Int32 {
        let apps: Int, samples: Int
        do throws(ModeArguments.Exit) {
            let options = try ModeArguments(arguments, known: ["--apps", "--samples"], usage: usage)
            apps = try options.positive("--apps", 1000, usage: usage)
            samples = try options.positive("--samples", 40, usage: usage)
        } catch {
            return error.status
        }
        let value = document(apps: apps)
        let json = value.serializedBytes(pretty: true)
        let yaml = Array(value.yamlText().utf8)
        guard try JSONParser.parse(bytes: json) == value, try YAML.load(bytes: yaml, file: "bench.yaml").value == value else {
            throw BenchError("the two files do not read as the same document")
        }
        var jsonTimes: [Double] = []
        var yamlTimes: [Double] = []
        for _ in 0..<samples {
            var start = Clock.now()
            _ = try JSONParser.parse(bytes: json)
            jsonTimes.append(milliseconds(since: start))
            start = Clock.now()
            _ = try YAML.load(bytes: yaml, file: "bench.yaml")
            yamlTimes.append(milliseconds(since: start))
        }
        let jsonSorted = jsonTimes.sorted()
        let yamlSorted = yamlTimes.sorted()
        let jsonMedian = jsonSorted[jsonSorted.count / 2]
        let yamlMedian = yamlSorted[yamlSorted.count / 2]
        print("parse \(apps) apps, JSON (\(json.count / 1024) KiB): " + String(format: "%.2f ms [%.2f–%.2f]", jsonMedian, jsonSorted[0], jsonSorted[jsonSorted.count - 1]))
        print("parse \(apps) apps, YAML (\(yaml.count / 1024) KiB): " + String(format: "%.2f ms [%.2f–%.2f]", yamlMedian, yamlSorted[0], yamlSorted[yamlSorted.count - 1]))
        print(String(format: "YAML / JSON: %.2f× (bar: at most 2×)", yamlMedian / jsonMedian))
        return 0
    }
}
