import Foundation

/// Loads rule files, checks them completely, and resolves the settings.
///
/// Everything is checked before any record is read, and every problem is reported at once,
/// in file order. Settings precedence, last wins: declared defaults < `<rules>/settings.yaml`
/// < each `--settings` file < each `--set key=value`.
public enum RuleLoader {
    /// The top-level sections of a rule file.
    public static let sections = ["version", "settings", "properties", "conditions", "tables", "sales_order", "transitions", "supersede",
                                         "customer", "freight_product"]

    /// Loads every `*.yaml`/`*.yml` file directly in `directory` (not `settings.yaml`, not `tests/`),
    /// in name order, plus the settings files.
    public static func load(directory: String, settingsFiles: [String] = [], overrides: [String] = []) -> RuleLoadResult {
        var problems: [Diagnostic] = []
        var ruleFiles: [(path: String, text: String)] = []
        var settings: [(path: String, text: String)] = []
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if !manager.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            problems.append(Diagnostic(.fileUnreadable, "rules directory '\(directory)' does not exist", at: nil,
                                       hint: "pass --rules DIR, or run from the project root where rules/ is"))
            return RuleLoadResult(ruleSet: nil, settings: nil, diagnostics: problems, sources: [:])
        }
        guard let listed = try? manager.contentsOfDirectory(atPath: directory) else {
            problems.append(Diagnostic(.fileUnreadable, "cannot list the rules directory '\(directory)'", at: nil,
                                       hint: "check its permissions"))
            return RuleLoadResult(ruleSet: nil, settings: nil, diagnostics: problems, sources: [:])
        }
        let names = listed.sorted()
        for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = base + "/" + name
            var isDir: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            guard let text = readFile(path, into: &problems) else { continue }
            if name == "settings.yaml" || name == "settings.yml" {
                settings.append((path, text))
            } else {
                ruleFiles.append((path, text))
            }
        }
        for path in settingsFiles {
            if let text = readFile(path, into: &problems) { settings.append((path, text)) }
        }
        var result = load(files: ruleFiles, settingsFiles: settings, overrides: overrides, noFilesIn: directory)
        if !problems.isEmpty {
            result.diagnostics = problems + result.diagnostics
            result.ruleSet = nil
            result.settings = nil
        }
        return result
    }

    /// The same from in-memory text: `files` are rule files, `settingsFiles` settings files, in precedence order.
    public static func load(files: [(path: String, text: String)], settingsFiles: [(path: String, text: String)] = [],
                            overrides: [String] = []) -> RuleLoadResult {
        load(files: files, settingsFiles: settingsFiles, overrides: overrides, noFilesIn: nil)
    }

    /// Reads a UTF-8 file of at most 1 MiB; nil after reporting why not.
    static func readFile(_ path: String, into problems: inout [Diagnostic]) -> String? {
        let start = SourceLocation(file: path, line: 1, column: 1)
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > YAMLReader.maxFileBytes {
            problems.append(YAMLReader.tooLarge(size, file: path))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append(Diagnostic(.fileUnreadable, "cannot read '\(path)'", at: nil, hint: "check the path and its permissions"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append(Diagnostic(.fileUnreadable, "'\(path)' is not UTF-8 text", at: start))
            return nil
        }
        return text
    }

    private static func load(files: [(path: String, text: String)], settingsFiles: [(path: String, text: String)],
                             overrides: [String], noFilesIn directory: String?) -> RuleLoadResult {
        var checker = RuleChecker()
        var sources: [String: String] = [:]
        for file in files + settingsFiles {
            checker.sources[file.path] = SourceText(path: file.path, text: file.text)
            sources[file.path] = file.text
        }
        if files.isEmpty {
            checker.report(.noRuleFiles, "no rule files (*.yaml) found\(directory.map { " in '\($0)'" } ?? "")", at: nil,
                           hint: "the shipped rules are in rules/; pass --rules DIR")
        }
        var sectionNodes: [String: YAMLNode] = [:]
        var complete = true
        for file in files {
            guard let source = checker.sources[file.path] else { continue }
            let (root, problems) = YAMLReader.read(source)
            checker.diagnostics += problems
            if problems.contains(where: { $0.code == DiagnosticCode.malformedYAML.rawValue }) { complete = false }
            guard let root, let pairs = checker.mapping(root, "a rule file") else { continue }
            for pair in pairs {
                guard let key = pair.key.scalar else { continue }
                guard sections.contains(key) else {
                    checker.report(.unknownKey, "unknown section '\(key)'", at: pair.key.location,
                                   hint: Suggestion.hint(for: key, among: sections) ?? "sections: \(sections.joined(separator: ", "))")
                    continue
                }
                if let earlier = sectionNodes[key] {
                    checker.report(.sectionRepeated, "section '\(key)' is already defined at \(earlier.location)", at: pair.key.location,
                                   hint: "each section lives in one file; merge the two")
                    continue
                }
                sectionNodes[key] = pair.value
            }
        }
        // A rule file that did not parse leaves sections unknown: do not report them as missing.
        let ruleSet = checker.ruleSet(sections: sectionNodes, files: files.map(\.path), anyFiles: !files.isEmpty && complete)
        let settings = checker.resolveSettings(ruleSet.settings, files: settingsFiles, overrides: overrides,
                                               checkNames: complete && !files.isEmpty)
        let order = files.map(\.path) + settingsFiles.map(\.path)
        let diagnostics = RuleChecker.sorted(checker.diagnostics, fileOrder: order)
        let clean = !diagnostics.contains { $0.severity == .error }
        return RuleLoadResult(ruleSet: clean ? ruleSet : nil, settings: clean ? settings : nil, diagnostics: diagnostics, sources: sources)
    }
}
