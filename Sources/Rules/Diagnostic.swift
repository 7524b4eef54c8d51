import Foundation

/// How bad a diagnostic is. Errors stop the rules from being used; warnings and notes do not.
public enum Severity: String, Sendable, Hashable, Comparable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .note: return 2
        }
    }
    /// Errors sort before warnings, warnings before notes.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One problem found in the rules, a settings file or a rule test: what, where, and what to do.
///
/// The `code` is stable (see `DiagnosticCode` and docs/rules.md); `message` says what is wrong,
/// `hint` what to do about it (often "did you mean 'warehouse'?").
public struct Diagnostic: Sendable, Error, Hashable, CustomStringConvertible {
    public var severity: Severity
    public var code: String
    public var message: String
    public var location: SourceLocation?
    public var hint: String?
    /// Whether the source line is shown under the message. False where the line may hold a
    /// secret pasted in the wrong place (an unknown key in a settings file): only its name and
    /// line are said, never its value.
    public var showsSource = true

    /// A diagnostic with an explicit severity and code.
    public init(severity: Severity, code: String, message: String, location: SourceLocation?, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
    }

    /// A diagnostic for a catalogued code; the severity comes from the code.
    public init(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?, hint: String? = nil) {
        self.init(severity: code.severity, code: code.rawValue, message: message, location: location, hint: hint)
    }

    /// `path:line:col: error[E101]: message` (one line, no source).
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        let tail = hint.map { " (hint: \($0))" } ?? ""
        return "\(place)\(severity.rawValue)[\(code)]: \(message)\(tail)"
    }

    /// The full form editors and people read:
    /// ```
    /// path:line:col: error[E101]: message
    ///   <source line>
    ///   <spaces>^
    ///   hint: …
    /// ```
    /// `source` is the whole text of the file the location points into (nil: no source lines).
    public func rendered(source: String?, color: Bool) -> String {
        rendered(line: location.flatMap { location in source.flatMap { Self.line(location.line, of: $0) } }, color: color)
    }

    /// The same, given the source line the location points into (nil: no source line shown).
    func rendered(line: String?, color: Bool) -> String {
        let style = TerminalStyle(enabled: color)
        let place = location.map { "\($0): " } ?? ""
        let label: String
        switch severity {
        case .error: label = style.red("error[\(code)]")
        case .warning: label = style.yellow("warning[\(code)]")
        case .note: label = style.cyan("note[\(code)]")
        }
        var out = style.bold(place) + label + style.bold(": " + message)
        if let location, let line, showsSource {
            let shown = line.replacingTabs()
            let caretColumn = max(1, min(location.column, line.unicodeScalars.count + 1))
            let prefix = String(String.UnicodeScalarView(line.unicodeScalars.prefix(caretColumn - 1))).replacingTabs()
            let pad = String(repeating: " ", count: prefix.count)
            out += "\n  " + shown + "\n  " + pad + style.green("^")
        }
        if let hint {
            out += "\n  " + style.cyan("hint:") + " " + hint
        }
        return out
    }

    /// The 1-based `number`th line of `text`, without its line break.
    static func line(_ number: Int, of text: String) -> String? {
        lines(of: text)[safe: number - 1].map(String.init)
    }

    /// The lines of `text` without their line breaks, split where libyaml counts lines
    /// (`SourceText.lines(of:)`); a final line break ends the last line rather than starting an
    /// empty one. Split once per file to render many diagnostics.
    static func lines(of text: String) -> [Substring] {
        var lines = SourceText.lines(of: text).map { Substring(String(String.UnicodeScalarView($0))) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}

private extension String {
    /// Tabs shown as one space, so the caret lines up.
    func replacingTabs() -> String { replacingOccurrences(of: "\t", with: " ") }
}

/// ANSI colours, or nothing when colour is off.
struct TerminalStyle: Sendable {
    var enabled: Bool
    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
    func red(_ text: String) -> String { wrap(text, "1;31") }
    func yellow(_ text: String) -> String { wrap(text, "1;33") }
    func cyan(_ text: String) -> String { wrap(text, "1;36") }
    func green(_ text: String) -> String { wrap(text, "1;32") }
    func bold(_ text: String) -> String { wrap(text, "1") }
}
