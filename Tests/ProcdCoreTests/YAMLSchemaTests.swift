import Testing

@testable import ProcdCore

/// The YAML 1.2 core schema for plain scalars.
@Suite struct YAMLSchemaTests {
    @Test(arguments: [
        ("", JSON.null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
        ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)), ("false", .bool(false)), ("FALSE", .bool(false)),
        ("0", .number(0)), ("-12", .number(-12)), ("+7", .number(7)), ("007", .number(7)),
        ("0o17", .number(15)), ("0x1F", .number(31)), ("0xff", .number(255)),
        ("1.5", .number(1.5)), ("-.5", .number(-0.5)), ("1.", .number(1)), ("1e3", .number(1000)), ("2.5E-1", .number(0.25)),
        (".inf", .number(.infinity)), ("-.Inf", .number(-.infinity)), ("+.INF", .number(.infinity)),
    ])
    func resolvesCoreValues(_ text: String, _ expected: JSON) {
        #expect(YAMLSchema.resolve(text) == expected)
    }

    @Test func resolvesNotANumber() {
        #expect(YAMLSchema.resolve(".nan").doubleValue?.isNaN == true)
        #expect(YAMLSchema.resolve(".NaN").doubleValue?.isNaN == true)
    }

    @Test(arguments: [
        "yes", "no", "on", "off", "y", "n", "Yes", "nul", "truee", "0x", "0o8", "0b101", "-0x1", "1_000", "1:30", ".", "-",
        "+", "1e", "e3", "..5", "1.2.3", "-.nan", "0x1G", "nan", "inf", "12 ", "api", "./server.js", "NULLS",
    ])
    func leavesOtherTextAsStrings(_ text: String) {
        #expect(YAMLSchema.resolve(text) == .string(text))
    }
}
