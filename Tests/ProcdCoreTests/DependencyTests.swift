import Testing

@testable import ProcdCore

@Suite struct DependencyTests {
    @Test(arguments: [
        ("started", DependencyCondition.started), ("online", .online), ("healthy", .healthy),
        ("completed", .completed), ("completed_successfully", .completedSuccessfully), ("log_ready", .logReady),
        ("process_started", .started), ("process_healthy", .healthy), ("process_completed", .completed),
        ("process_completed_successfully", .completedSuccessfully), ("process_log_ready", .logReady),
    ])
    func conditionNames(_ text: String, _ expected: DependencyCondition) {
        #expect(DependencyCondition.parse(text) == expected)
    }

    @Test(arguments: ["ready", "process_", "Healthy", ""])
    func unknownConditions(_ text: String) {
        #expect(DependencyCondition.parse(text) == nil)
    }

    @Test func everyFormOfDependsOn() throws {
        #expect(try Dependency.parse(.array([.string("db"), .string("cache")])).get() == [Dependency("db"), Dependency("cache")])
        #expect(try Dependency.parse(.string("db")).get() == [Dependency("db")])
        #expect(try Dependency.parse(.array([.string("migrate:completed_successfully")])).get() == [Dependency("migrate", .completedSuccessfully)])
        let mapping: JSON = .object(["migrate": .object(["condition": .string("process_completed_successfully")]),
                                     "db": .object(["condition": .string("healthy")]), "cache": .null])
        #expect(try Dependency.parse(mapping).get() == [Dependency("migrate", .completedSuccessfully), Dependency("db", .healthy), Dependency("cache")])
        #expect(try Dependency.parse(.null).get() == [])
    }

    @Test(arguments: [
        (JSON.array([.string("a"), .string("a")]), "named twice"),
        (.array([.int(3)]), "expected app names"),
        (.object(["a": .object(["condition": .string("ready")])]), "unknown condition 'ready'"),
        (.object(["a": .string("healthy")]), "expected {condition"),
        (.int(3), "expected a list"),
        (.array([.string("a:soon")]), "NAME:CONDITION"),
    ])
    func badDependsOn(_ value: JSON, _ message: String) {
        guard case .failure(let error) = Dependency.parse(value) else {
            Issue.record("accepted \(value.serialized())")
            return
        }
        #expect(error.field == "depends_on" && error.message.contains(message), "\(error.message)")
    }

    @Test func roundTripsThroughItsJSONForm() throws {
        let dependencies = [Dependency("db", .healthy), Dependency("migrate", .completedSuccessfully)]
        #expect(try Dependency.parse(Dependency.json(dependencies)).get() == dependencies)
    }

    private func graph(_ apps: [(String, [String])], known: Set<String> = []) -> Result<DependencyGraph, DependencyGraph.Problem> {
        DependencyGraph.make(apps.map { (name: $0.0, dependencies: $0.1.map { Dependency($0) }) }, known: known)
    }

    @Test func layersStartWhatIsNeededFirstAndIndependentAppsTogether() throws {
        // A diamond with a lone app: db first; migrate and cache together; api; worker.
        let g = try graph([("worker", ["api"]), ("api", ["migrate", "cache"]), ("migrate", ["db"]),
                           ("cache", []), ("db", []), ("lone", [])]).get()
        #expect(g.layers == [["cache", "db", "lone"], ["migrate"], ["api"], ["worker"]])
        #expect(g.stopLayers.first == ["worker"] && g.stopLayers.last == ["cache", "db", "lone"])
        #expect(g.closure(of: ["api"]) == ["api", "migrate", "cache", "db"])
        #expect(g.closure(of: ["lone"]) == ["lone"])
        #expect(g.dependents(of: "db") == ["worker", "api", "migrate"])
        #expect(g.dependents(of: "worker") == [])
    }

    @Test(arguments: [
        ([("a", ["b"]), ("b", ["c"]), ("c", ["a"])], ["a", "b", "c", "a"]),
        ([("x", []), ("a", ["b"]), ("b", ["a"])], ["a", "b", "a"]),
        ([("a", ["b"]), ("b", ["c"]), ("c", ["b"])], ["b", "c", "b"]),
    ])
    func cyclesAreNamed(_ apps: [(String, [String])], _ cycle: [String]) {
        #expect(graph(apps) == .failure(.cycle(cycle)))
        #expect(DependencyGraph.Problem.cycle(cycle).description.contains(cycle.joined(separator: " → ")))
    }

    @Test func unknownNamesAndSelfDependencyAreRefused() {
        #expect(graph([("api", ["dbb"]), ("db", [])]) == .failure(.unknown(app: "api", dependency: "dbb", suggestion: "db")))
        #expect(graph([("api", ["api"])]) == .failure(.selfDependency("api")))
        #expect((try? graph([("api", ["db"])], known: ["db"]).get())?.layers == [["api"]], "an app already running may be depended on")
    }

    private func state(_ configure: (inout DependencyState) -> Void) -> DependencyState {
        var state = DependencyState()
        configure(&state)
        return state
    }

    @Test func verdicts() {
        let deps = [Dependency("db", .healthy), Dependency("migrate", .completedSuccessfully)]
        #expect(DependencyVerdict.judge(deps, [:]) == .waiting(deps))
        #expect(DependencyVerdict.judge(deps, [:]).reason == "waiting for db: healthy, migrate: completed_successfully")
        let healthy = state { $0.started = true; $0.online = true; $0.healthy = true }
        let migrated = state { $0.started = true; $0.completed = true; $0.succeeded = true }
        #expect(DependencyVerdict.judge(deps, ["db": healthy, "migrate": migrated]) == .met)
        let failedMigration = state { $0.started = true; $0.completed = true }
        #expect(DependencyVerdict.judge(deps, ["db": healthy, "migrate": failedMigration])
            == .cannot("migrate exited with a non-zero code, so completed_successfully cannot be met"))
        let errored = state { $0.errored = true }
        #expect(DependencyVerdict.judge([Dependency("db", .online)], ["db": errored]).reason?.hasPrefix("not started: db errored") == true)
        #expect(DependencyVerdict.judge([Dependency("job", .completed)], ["job": errored]) == .met)
        #expect(DependencyVerdict.judge([Dependency("job", .logReady)], ["job": migrated]) == .cannot("job ended without being log_ready, so log_ready cannot be met"))
        #expect(DependencyVerdict.judge([Dependency("db", .started)], ["db": state { $0.started = true }]) == .met)
    }
}
