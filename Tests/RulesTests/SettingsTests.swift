import Batch
import TestSupport
import Testing
@testable import Rules

/// Settings: declared defaults < settings files (in order) < `--set`; types, one_of, time zones.
@Suite struct SettingsTests {
    static let rules = """
    version: 1
    settings:
      flag: { type: bool, default: false }
      rate: { type: decimal, default: 0.1 }
      count: { type: integer, default: 2 }
      zone: { type: timezone, default: Australia/Sydney }
      status: { type: text, default: Parked, one_of: [Placed, Parked, Completed, Backordered] }
      warehouse: { type: text, default: null }
    sales_order: { fields: { OrderStatus: settings.status } }
    """

    func load(_ files: [(path: String, text: String)] = [], _ overrides: [String] = []) -> RuleLoadResult {
        RuleLoader.load(files: [("r.yaml", Self.rules)], settingsFiles: files, overrides: overrides)
    }

    @Test func defaultsWhenNothingElse() throws {
        let settings = try #require(load().settings)
        #expect(settings.values["flag"] == .bool(false))
        #expect(settings.values["rate"] == .decimal(try #require(ExactDecimal("0.1"))))
        #expect(settings.values["count"] == .decimal(ExactDecimal(2)))
        #expect(settings.values["zone"] == .text("Australia/Sydney"))
        #expect(settings.values["warehouse"] == .null)
        #expect(settings.sources["flag"] == .ruleDefault(Rules.SourceLocation(file: "r.yaml", line: 3, column: 3)))
    }

    @Test func laterLayersWin() throws {
        let first = ("a.yaml", "flag: true\nstatus: Placed\nwarehouse: MAIN\n")
        let second = ("b.yaml", "status: Completed\n")
        let settings = try #require(load([first, second], ["warehouse=null", "rate=0.125"]).settings)
        #expect(settings.values["flag"] == .bool(true))
        #expect(settings.values["status"] == .text("Completed"))
        #expect(settings.values["warehouse"] == .null)
        #expect(settings.values["rate"] == .decimal(try #require(ExactDecimal("0.125"))))
        #expect(settings.sources["flag"] == .settingsFile(Rules.SourceLocation(file: "a.yaml", line: 1, column: 7)))
        #expect(settings.sources["status"] == .settingsFile(Rules.SourceLocation(file: "b.yaml", line: 1, column: 9)))
        #expect(settings.sources["warehouse"] == .commandLine("warehouse=null"))
    }

    @Test(arguments: [("yes", true), ("off", false), ("TRUE", true), ("no", false), ("On", true)])
    func boolWords(word: String, value: Bool) {
        #expect(load([], ["flag=\(word)"]).settings?.values["flag"] == .bool(value))
    }

    @Test func quotedNumbersInSettingsFilesAreStillNumbers() {
        #expect(load([("s.yaml", "rate: \"0.15\"\n")]).settings?.values["rate"] == ExactDecimal("0.15").map(SettingValue.decimal))
    }

    @Test(arguments: [
        ("flag: maybe\n", "E202 1:7", "write true or false (yes/no and on/off work too)"),
        ("rate: ten\n", "E202 1:7", "write a number such as 0.1"),
        ("count: 2.5\n", "E202 1:8", "write a whole number such as 2"),
        ("zone: Australia/Sidney\n", "E204 1:7", "did you mean 'Australia/Sydney'?"),
        ("status: Parkd\n", "E203 1:9", "did you mean 'Parked'?"),
        ("stauts: Parked\n", "E205 1:1", "did you mean 'status'?"),
        ("status: [Parked]\n", "E202 1:9", nil),
        ("- status\n", "E103 1:1", nil),
    ] as [(String, String, String?)])
    func settingsFileProblems(text: String, expected: String, hint: String?) {
        let result = load([("s.yaml", text)])
        #expect(Fixture.codes(result) == [expected])
        #expect(result.diagnostics.first?.hint == hint)
        #expect(result.settings == nil)
    }

    @Test func oneOfListsTheAllowedValues() {
        let result = load([("s.yaml", "status: Shipped\n")])
        #expect(result.diagnostics.first?.message == "setting 'status': 'Shipped' is not allowed; allowed values: Placed, Parked, Completed, Backordered")
    }

    @Test(arguments: [
        ("flag", "E206"), ("nope=1", "E205"), ("flag=sure", "E202"), ("status=Open", "E203"), ("zone=Nowhere/Land", "E204"),
    ])
    func overrideProblems(argument: String, code: String) {
        let result = load([], [argument])
        #expect(result.diagnostics.map(\.code) == [code])
        #expect(result.diagnostics.first?.location == nil)
        #expect(result.diagnostics.first?.message.contains("--set") == true)
    }

    @Test(arguments: [
        ("x: { type: txt, default: a }", "E201", "did you mean 'text'?"),
        ("x: { type: decimal, default: abc }", "E202", "write a number such as 0.1"),
        ("x: { type: text, default: C, one_of: [A, B] }", "E203", nil),
        ("x: { type: timezone, default: Mars/Base }", "E204", "use an IANA name such as Australia/Sydney"),
        ("x: { default: 1 }", "E102", nil),
        ("x: { type: text, defualt: 1 }", "E101", "did you mean 'default'?"),
        ("x: 5", "E103", nil),
        ("my-setting: { type: text }", "E105", nil),
    ] as [(String, String, String?)])
    func declarationProblems(declaration: String, code: String, hint: String?) {
        let text = "version: 1\nsettings:\n  \(declaration)\nsales_order: { fields: {} }\n"
        let result = RuleLoader.load(files: [("r.yaml", text)])
        #expect(result.diagnostics.map(\.code) == [code])
        #expect(result.diagnostics.first?.hint == hint)
        #expect(result.diagnostics.first?.location?.line == 3)
    }

    @Test func shippedSettingsHaveTheNamesUsersRelyOn() throws {
        let result = RuleLoader.load(directory: Project.path("rules"))
        let settings = try #require(result.ruleSet?.settings)
        let byName = Dictionary(uniqueKeysWithValues: settings.map { ($0.name, $0) })
        #expect(byName["freight_product_code"]?.defaultValue == .text("OM_FREIGHT"))
        #expect(byName["default_warehouse"]?.defaultValue == .null)
        #expect(byName["sync_order_number"]?.defaultValue == .bool(false))
        #expect(byName["sync_order_date"]?.defaultValue == .bool(false))
        #expect(byName["sales_order_status"]?.defaultValue == .text("Parked"))
        #expect(byName["sales_order_status"]?.oneOf == ["Placed", "Parked", "Completed", "Backordered"].map(SettingValue.text))
        let invalid = RuleLoader.load(directory: Project.path("rules"), overrides: ["sales_order_status=Deleted"])
        #expect(invalid.diagnostics.map(\.code) == ["E203"])
    }
}
