import Foundation
@testable import Rules

/// One minimal input of the diagnostic corpus: the files of a rules directory (written to a fresh
/// temporary directory), loaded through the real loader, and every diagnostic it must give.
struct DiagnosticCorpusEntry: Sendable {
    /// Which loader reads the directory.
    enum Loader: Sendable {
        /// `RuleLoader.load(directory:settingsFiles:overrides:)`, as `omsync check` does.
        case rules
        /// `RuleTestLoader.load(directory:)`, which reads `<directory>/tests/*.yaml`.
        case ruleTests
    }

    /// The code this entry is the corpus entry of.
    var code: DiagnosticCode
    var loader: Loader = .rules
    /// Relative path in the rules directory → bytes.
    var files: [String: [UInt8]]
    /// Extra settings files (`--settings`), relative to the rules directory.
    var settingsFiles: [String] = []
    /// `--set` arguments.
    var overrides: [String] = []
    /// Every diagnostic the load gives, in order: `CODE file:line:column` (the file relative to the
    /// rules directory) or `CODE -` for one with no place.
    var expected: [String]

    /// An entry whose files are text.
    init(_ code: DiagnosticCode, loader: Loader = .rules, files: [String: String], settingsFiles: [String] = [],
         overrides: [String] = [], expected: [String]) {
        self.init(code, loader: loader, bytes: files.mapValues { Array($0.utf8) }, settingsFiles: settingsFiles,
                  overrides: overrides, expected: expected)
    }

    /// An entry whose files are raw bytes (for what is not text).
    init(_ code: DiagnosticCode, loader: Loader = .rules, bytes: [String: [UInt8]], settingsFiles: [String] = [],
         overrides: [String] = [], expected: [String]) {
        self.code = code
        self.loader = loader
        self.files = bytes
        self.settingsFiles = settingsFiles
        self.overrides = overrides
        self.expected = expected
    }

    /// An entry of one rule file, `r.yaml`.
    init(_ code: DiagnosticCode, rules: String, settings: String? = nil, overrides: [String] = [], expected: [String]) {
        var files = ["r.yaml": rules]
        if let settings { files["extra.settings"] = settings }
        self.init(code, files: files, settingsFiles: settings == nil ? [] : ["extra.settings"], overrides: overrides,
                  expected: expected)
    }

    /// Writes the files to a fresh temporary directory, loads it, removes it, and returns the
    /// diagnostics (each file named relative to the directory).
    func load() throws -> [Diagnostic] {
        let manager = FileManager.default
        let directory = manager.temporaryDirectory.appendingPathComponent("omsync-corpus-\(code.rawValue)-\(UUID().uuidString)").path
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? manager.removeItem(atPath: directory) }
        for (name, bytes) in files {
            let path = directory + "/" + name
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard manager.createFile(atPath: path, contents: Data(bytes)) else {
                throw CorpusSetupError(description: "could not write \(path)")
            }
        }
        let diagnostics: [Diagnostic]
        switch loader {
        case .rules:
            diagnostics = RuleLoader.load(directory: directory, settingsFiles: settingsFiles.map { directory + "/" + $0 },
                                          overrides: overrides).diagnostics
        case .ruleTests:
            diagnostics = RuleTestLoader.load(directory: directory).diagnostics
        }
        return diagnostics.map { diagnostic in
            var relative = diagnostic
            if let location = diagnostic.location, location.file.hasPrefix(directory + "/") {
                relative.location?.file = String(location.file.dropFirst(directory.count + 1))
            }
            return relative
        }
    }

    /// `CODE file:line:column`, or `CODE -` without a place.
    static func summary(_ diagnostic: Diagnostic) -> String {
        "\(diagnostic.code) \(diagnostic.location.map { "\($0.file):\($0.line):\($0.column)" } ?? "-")"
    }
}

/// A corpus directory that could not be written.
struct CorpusSetupError: Error, CustomStringConvertible {
    var description: String
}
