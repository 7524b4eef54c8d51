import ArgumentParser
import Batch
import Foundation
import Rules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `omsync check`: load and check the rules and settings, print every problem, change nothing.
///
/// Exit codes: 0 clean (warnings allowed), 1 any error, 2 usage error or a file that cannot be read.
public struct CheckCommand: ParsableCommand {
    /// The command's name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the rules and settings: every problem at once, with file:line:col.",
        discussion: """
        Reads every *.yaml in the rules directory (not settings.yaml, not tests/), the settings files and \
        --set overrides, and reports every problem with its place, the source line and a caret. \
        Exit status: 0 clean (warnings allowed), 1 errors found, 2 usage error or unreadable file. \
        Codes are listed in docs/rules.md.
        """
    )

    @OptionGroup var options: RulesOptions

    @Option(help: "Output format: text or json.")
    var format: SummaryFormat = .text

    /// A command with default options (ArgumentParser fills them in).
    public init() {}

    /// Checks and prints; exits with the documented status.
    public func run() throws {
        let result = options.load()
        let output = format == .json ? Self.json(result) : Self.text(result, color: isatty(1) == 1)
        FileHandle.standardOutput.write(Data(output.utf8))
        if result.isUnreadable { throw ExitCode(.usage) }
        if result.hasErrors { throw ExitCode(.problems) }
    }

    /// Diagnostics with source lines, then the one-line summary.
    static func text(_ result: RuleLoadResult, color: Bool) -> String {
        let body = result.render(color: color)
        return (body.isEmpty ? "" : body + "\n\n") + result.summary + "\n"
    }

    /// `{"ok":bool,"summary":…,"diagnostics":[{"severity","code","message","file","line","column","hint"}]}`.
    static func json(_ result: RuleLoadResult) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("ok")
        writer.bool(!result.hasErrors)
        writer.key("summary")
        writer.string(result.summary)
        writer.key("diagnostics")
        writer.beginArray()
        for diagnostic in result.diagnostics {
            writer.beginObject()
            writer.key("severity"); writer.string(diagnostic.severity.rawValue)
            writer.key("code"); writer.string(diagnostic.code)
            writer.key("message"); writer.string(diagnostic.message)
            writer.key("file"); optional(diagnostic.location?.file, &writer)
            writer.key("line"); optionalInt(diagnostic.location?.line, &writer)
            writer.key("column"); optionalInt(diagnostic.location?.column, &writer)
            writer.key("hint"); optional(diagnostic.hint, &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.newline()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private static func optional(_ text: String?, _ writer: inout JSONWriter) {
        if let text { writer.string(text) } else { writer.null() }
    }

    private static func optionalInt(_ value: Int?, _ writer: inout JSONWriter) {
        if let value { writer.int(value) } else { writer.null() }
    }
}
