import Batch
import Foundation
import TestSupport
import Testing
@testable import Rules

/// `omsync schema`: the shipped schema files are the generated ones, the shipped rule files name
/// them on their first line, the shipped and valid sample files validate, and the broken samples
/// whose fault is structural (an unknown key or field, a wrong type, a missing key) do not.
///
/// Validation is Python's `jsonschema` (scripts/validate-schema.py; PyYAML and jsonschema are
/// on the project's machines, and scripts/test installs them when missing). One python3 run per
/// test, awaited without holding a thread of the cooperative pool.
@Suite struct RuleSchemaTests {
    struct Verdict: Sendable {
        var file: String
        var valid: Bool
        var errors: [String]
    }

    /// Validates `files` against the schema `text`, one verdict per file.
    static func validate(_ files: [String], schema text: String) async throws -> [Verdict] {
        let schema = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: schema)
        defer { try? FileManager.default.removeItem(at: schema) }
        let output = try await PythonScript.run([Project.path("scripts/validate-schema.py"), schema.path] + files)
        return try output.split(separator: "\n").map { line in
            let value = try JSONValue.parse(String(line))
            return Verdict(file: value["file"]?.stringValue ?? "", valid: value["valid"] == .bool(true),
                           errors: value["errors"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }

    static func shippedSettings() throws -> [SettingDecl] {
        try #require(RuleLoader.load(directory: Project.path("rules")).ruleSet).settings
    }

    static let testFiles = ["customers", "lines-and-money", "properties", "settings", "transitions"].map { Project.path("rules/tests/\($0).yaml") }

    @Test func theShippedSchemaFilesAreTheGeneratedOnes() throws {
        let expected: [(String, String)] = [
            ("schema/omsync-rules.schema.json", RuleSchema.text(.rules)),
            ("schema/omsync-settings.schema.json", RuleSchema.text(.settings, settings: try Self.shippedSettings())),
            ("schema/omsync-tests.schema.json", RuleSchema.text(.tests)),
        ]
        for (path, text) in expected {
            let shipped = try String(contentsOfFile: Project.path(path), encoding: .utf8)
            #expect(shipped == text, "\(path) is not what `omsync schema` writes: regenerate it (docs/rules.md, \"Editor support\")")
        }
    }

    @Test func theShippedFilesNameTheirSchemaOnTheFirstLine() throws {
        let files = [("rules/omsync.yaml", "../schema/omsync-rules.schema.json"), ("rules/settings.yaml", "../schema/omsync-settings.schema.json")]
            + Self.testFiles.map { ($0, "../../schema/omsync-tests.schema.json") }
        for (file, schema) in files {
            let text = try String(contentsOfFile: file.hasPrefix("/") ? file : Project.path(file), encoding: .utf8)
            #expect(text.hasPrefix("# yaml-language-server: $schema=\(schema)\n"), "\(file)")
        }
    }

    @Test func theShippedAndValidSampleFilesValidate() async throws {
        let settings = RuleSchema.text(.settings, settings: try Self.shippedSettings())
        // One python3 run per schema.
        let verdicts = try await Self.validate([Project.path("rules/omsync.yaml")], schema: RuleSchema.text(.rules))
            + Self.validate([Project.path("rules/settings.yaml"), Project.path("samples/bench-settings.yaml")], schema: settings)
            + Self.validate(Self.testFiles, schema: RuleSchema.text(.tests))
        #expect(verdicts.count == 3 + Self.testFiles.count)
        for verdict in verdicts {
            #expect(verdict.valid, "\(verdict.file): \(verdict.errors)")
        }
    }

    /// The broken samples with a structural fault: typos (a field name, an action), transitions (a
    /// computed field, a wrong action), settings (an unknown setting type). `malformed/` is not
    /// YAML at all and `hostile/` is refused by the YAML reader, so neither reaches a schema.
    @Test func structurallyBrokenSamplesFail() async throws {
        let samples = ["typos", "transitions", "settings"]
        let verdicts = try await Self.validate(samples.map { Project.path("samples/broken-rules/\($0)/omsync.yaml") }, schema: RuleSchema.text(.rules))
        #expect(verdicts.count == samples.count)
        for (sample, verdict) in zip(samples, verdicts) {
            #expect(!verdict.valid, "\(sample) validates, but it is structurally broken")
            #expect(RuleLoader.load(directory: Project.path("samples/broken-rules/\(sample)")).ruleSet == nil)
        }
    }

    /// One mutation of the shipped rules per kind of structural fault; each fails the schema and the checker.
    static let mutations: [(String, String)] = [
        ("supersede:", "supersed:"),                                            // an unknown section
        ("    tag: unleashed_warehouse\n", "    tag: [unleashed_warehouse]\n"),  // a wrong type
        ("    from: [order, customer, settings.default_warehouse]\n", ""),       // a missing required key
        ("    Comments: truncate(order.comment, 2048)", "    Coments: truncate(order.comment, 2048)"),  // an unknown field
        ("    do: block", "    do: blocked"),                                    // an unknown action
        ("    OrderStatus: settings.sales_order_status", "    Total: 1"),        // a computed field
    ]

    @Test func structuralMistakesFailTheSchemaAndTheChecker() async throws {
        let shipped = try String(contentsOfFile: Project.path("rules/omsync.yaml"), encoding: .utf8)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("schema-mutations-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var files: [String] = []
        for (i, mutation) in Self.mutations.enumerated() {
            #expect(shipped.contains(mutation.0), "\(mutation.0)")
            let folder = root.appendingPathComponent("m\(i)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("omsync.yaml")
            try Data(shipped.replacingOccurrences(of: mutation.0, with: mutation.1).utf8).write(to: file)
            files.append(file.path)
        }
        let verdicts = try await Self.validate(files, schema: RuleSchema.text(.rules))
        #expect(verdicts.count == Self.mutations.count)
        for ((mutation, verdict), file) in zip(zip(Self.mutations, verdicts), files) {
            #expect(!verdict.valid, "\(mutation.1) validates")
            #expect(RuleLoader.load(directory: (file as NSString).deletingLastPathComponent).ruleSet == nil, "\(mutation.1) passes the checker")
        }
    }

    @Test func aSettingsFileWithAnUndeclaredOrDisallowedValueFails() async throws {
        let settings = RuleSchema.text(.settings, settings: try Self.shippedSettings())
        let verdict = try #require(try await Self.validate([Project.path("samples/broken-rules/settings/settings.yaml")], schema: settings).first)
        #expect(!verdict.valid)
        #expect(verdict.errors.contains { $0.contains("warehouse") }, "\(verdict.errors)")
        #expect(verdict.errors.contains { $0.contains("Shipped") }, "\(verdict.errors)")
    }

    /// The member at a dotted path of object keys.
    static func at(_ value: JSONValue, _ path: String) -> JSONValue? {
        path.split(separator: ".").reduce(Optional(value)) { $0?[String($1)] }
    }

    @Test func theRuleSchemaCarriesTheFieldCatalogueAndTheActions() throws {
        let schema = try JSONValue.parse(RuleSchema.text(.rules))
        let header = Self.at(schema, "properties.sales_order.properties.fields.properties")?.objectValue
        #expect(header?.keys == UnleashedFields.header)
        let line = Self.at(schema, "properties.sales_order.properties.lines.properties.fields.properties")?.objectValue
        #expect(line?.keys == UnleashedFields.line)
        #expect(Self.at(schema, "properties.transitions.items.properties.do.enum")?.arrayValue?.compactMap(\.stringValue)
                == Action.allCases.map(\.rawValue))
        #expect(schema["required"]?.arrayValue?.compactMap(\.stringValue) == ["version", "sales_order"])
    }
}
