import Batch
import Foundation
import Rules

/// What one fuzz input does to the rule loader and checker (the `fuzz-rules` harness and the replay test).
///
/// The input is the bytes of one file. It is loaded and checked:
/// - as the only rule file of a rules folder (through `RuleFileReader`: size, type, UTF-8);
/// - as the settings file of a small valid rule set that declares a setting of every type;
/// - as a rule test file (`rules/tests/*.yaml`).
/// Invariants: every diagnostic points inside its file and renders; an outcome without errors
/// is `loaded`, one with errors is not; the same text loads to the same diagnostics twice.
public enum RulesFuzzEntry {
    /// A valid rule file declaring a setting of every type, for the settings-file reading.
    public static let baseRules = """
        version: 1
        settings:
          zone: { type: timezone, default: Australia/Sydney }
          rate: { type: decimal, default: 0.1 }
          flag: { type: bool, default: false }
          label: { type: text, default: "Hello" }
          count: { type: integer, default: 3 }
        properties:
          warehouse:
            tag: unleashed_warehouse
            from: [order, customer, settings.label, "LIT"]
        sales_order:
          fields:
            Comments: settings.label
        transitions:
          - otherwise: true
            do: create
        """

    /// The folder the rule file is written into (one per process).
    static let folder: String = {
        let path = NSTemporaryDirectory() + "/omsync-fuzz-rules-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Runs one input; the list of invariants it broke.
    public static func run(_ bytes: [UInt8]) -> [String] {
        var failures: [String] = []
        let text = String(decoding: bytes, as: UTF8.self)
        // 1. From a folder, as omsync check reads it.
        let path = folder + "/rules.yaml"
        if FileManager.default.createFile(atPath: path, contents: Data(bytes)) {
            let result = RuleLoader.load(directory: folder)
            check(result, files: [path], failures: &failures)
        } else {
            failures.append("harness: cannot write \(path)")
        }
        // 2. In memory, twice: the same diagnostics.
        let first = RuleLoader.load(files: [(path: "fuzz.yaml", text: text)])
        check(first, files: ["fuzz.yaml"], failures: &failures)
        let second = RuleLoader.load(files: [(path: "fuzz.yaml", text: text)])
        if first.diagnostics != second.diagnostics { failures.append("the same rule text gave different diagnostics twice") }
        // 3. As a settings file of a valid rule set.
        let settings = RuleLoader.load(files: [(path: "rules.yaml", text: baseRules)], settingsFiles: [(path: "settings.yaml", text: text)])
        check(settings, files: ["rules.yaml", "settings.yaml"], failures: &failures)
        // 4. As a rule test file.
        let tests = RuleTestLoader.load(files: [(path: "tests/fuzz.yaml", text: text)])
        for diagnostic in tests.diagnostics {
            located(diagnostic, in: ["tests/fuzz.yaml": text], failures: &failures)
            _ = diagnostic.rendered(source: text, color: true)
        }
        return failures
    }

    /// The invariants of one load.
    static func check(_ result: RuleLoadResult, files: [String], failures: inout [String]) {
        let errors = result.count(.error)
        switch result.outcome {
        case .loaded:
            if errors > 0 { failures.append("loaded with \(errors) errors: \(result.diagnostics.prefix(3))") }
        case .invalid, .unreadable:
            if errors == 0 { failures.append("not loaded, but no error: \(result.diagnostics.prefix(3))") }
        }
        for diagnostic in result.diagnostics {
            located(diagnostic, in: result.sources, failures: &failures)
            if let file = diagnostic.location?.file, !files.contains(file) {
                failures.append("a diagnostic names a file that was not loaded: \(file)")
            }
        }
        let rendered = result.render(color: false)
        if !result.diagnostics.isEmpty && rendered.isEmpty { failures.append("diagnostics rendered as nothing") }
        _ = result.render(color: true)
        _ = result.summary
    }

    /// A diagnostic's place is inside its file: line 1…lines+1, column ≥ 1, and it has a message.
    static func located(_ diagnostic: Diagnostic, in sources: [String: String], failures: inout [String]) {
        if diagnostic.message.isEmpty { failures.append("a diagnostic without a message: \(diagnostic.code)") }
        guard let location = diagnostic.location else { return }
        // YAML breaks lines at LF, CR, NEL, LS and PS: at most one line per such character, plus one.
        let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
        let lines = sources[location.file].map { $0.unicodeScalars.filter(breaks.contains).count + 1 } ?? Int.max
        if location.line < 1 || location.column < 1 || location.line > lines + 1 {
            failures.append("\(diagnostic.code) at \(location.line):\(location.column) is outside its file of \(lines) lines: \(diagnostic.message)")
        }
    }
}
