import Testing

@testable import ProcdCore

@Suite struct WatchFilterTests {
    @Test(arguments: [
        ("*", "anything", true), ("*", "", true), ("*.log", "app.log", true), ("*.log", "app.log.1", false),
        ("a?c", "abc", true), ("a?c", "ac", false), ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false),
        ("exact", "exact", true), ("exact", "exact2", false), ("", "", true), ("", "x", false), ("**", "x", true),
    ])
    func globsOneComponent(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(WatchFilter.glob(pattern, text) == expected)
    }

    @Test(arguments: [
        ([String](), "src/app.js", false), ([], "node_modules/x/index.js", true), ([], ".git/HEAD", true),
        ([], "src/node_modules/a.js", true), (["*.log"], "logs/app.log", true), (["*.log"], "app.log.txt", false),
        (["logs"], "logs/today/app.txt", true), (["logs/"], "logs/app.txt", true), (["./tmp"], "tmp/a", true),
        (["src/*.tmp"], "src/a.tmp", true), (["src/*.tmp"], "lib/a.tmp", false), (["src/*.tmp"], "src/deep/a.tmp", false),
        (["build/out"], "build/out/x/y.js", true), (["**/dist"], "a/b/dist/app.js", true), (["**/dist"], "dist/app.js", true),
        (["**/dist"], "a/distro/x", false), (["a/**/z.js"], "a/z.js", true), (["a/**/z.js"], "a/b/c/z.js", true),
    ] as [([String], String, Bool)])
    func ignoresByPatternOrComponent(_ patterns: [String], _ path: String, _ expected: Bool) {
        #expect(WatchFilter(patterns: patterns).ignores(path) == expected)
    }

    @Test func defaultsComeFirst() {
        #expect(WatchFilter(patterns: ["*.tmp"]).patterns == ["node_modules", ".git", "*.tmp"])
    }
}
