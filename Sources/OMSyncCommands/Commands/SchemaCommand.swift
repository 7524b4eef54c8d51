import ArgumentParser
import Foundation
import Rules

/// `omsync schema [rules|settings|tests]`: the JSON Schema of a kind of rule file, for editors
/// with the YAML language server. The shipped copies live in `schema/` (a test keeps them equal
/// to this output) and the shipped files name them on their first line.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Write the JSON Schema of the rule files (for VS Code and other editors with the YAML language server).",
        discussion: """
            Kinds: rules (rule files, rules/*.yaml: sections, keys, the Unleashed field catalogue, actions), \
            settings (a settings file: the settings declared in --rules, each with its type), tests \
            (rule test files, rules/tests/*.yaml). Name it on a file's first line: \
            `# yaml-language-server: $schema=../schema/omsync-rules.schema.json`. The schema checks \
            the shape; `omsync check` checks what the expressions mean.
            Exit codes: 0 written; 2 usage error or an output that cannot be written; 3 (settings) the rules have errors.
            """)

    @Argument(help: ArgumentHelp("rules, settings or tests.", valueName: "kind"))
    var kind: String = RuleSchema.Kind.rules.rawValue

    @Option(name: .long, help: ArgumentHelp("Directory of rule files, whose declared settings the settings schema lists.", valueName: "dir"))
    var rules: String = "rules"

    @Option(help: ArgumentHelp("Write the schema to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        if RuleSchema.Kind(rawValue: kind) == nil {
            throw ValidationError("'\(kind)' is not a kind of schema; the kinds are \(RuleSchema.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let kind = RuleSchema.Kind(rawValue: kind) ?? .rules
        var declared: [SettingDecl] = []
        if kind == .settings {
            let result = RuleLoader.load(directory: rules)
            guard let ruleSet = result.ruleSet else {
                StandardError.write(result.render(color: false) + "\n")
                StandardError.line("omsync schema: the rules in \(rules) have errors (\(result.summary)); the settings schema lists their declared settings")
                throw ExitCode(result.isUnreadable ? .usage : .rules)
            }
            declared = ruleSet.settings
        }
        let text = RuleSchema.text(kind, settings: declared)
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            StandardError.line("omsync schema: cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(.usage)
        }
    }
}
