import Foundation
import Rules
import Testing

/// Found by fuzzing (`fuzz-rules`, docs/reliability.md "Fuzzing"): libyaml ends a line at CR LF,
/// a lone CR, LF, NEL, LS and PS, but the map from its line numbers back to the text split at LF
/// only. After a lone CR (a file saved with old Mac line endings, or a stray CR) every position
/// inside a value pointed at a later line, even past the end of the file, and the source line
/// shown under a diagnostic was the wrong one. Now every line count splits where libyaml does.
struct LineBreakPositionTests {
    /// A rule file with one unknown setting (`currency`, at line 4, column 37), its lines ended by `lineEnd`.
    static func rules(_ lineEnd: String) -> String {
        ["version: 1", "sales_order:", "  fields:", "    Currency.CurrencyCode: settings.currency", "transitions:",
         "  - otherwise: true", "    do: create", ""].joined(separator: lineEnd)
    }

    @Test(arguments: ["\n", "\r\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"])
    func aDiagnosticInsideAValueIsAtItsPlaceWhateverEndsTheLines(lineEnd: String) throws {
        let text = Self.rules(lineEnd)
        let result = RuleLoader.load(files: [(path: "r.yaml", text: text)])
        let unknown = try #require(result.diagnostics.first { $0.message.contains("currency") }, "\(result.diagnostics)")
        #expect(unknown.location?.line == 4)
        #expect(unknown.location?.column == 37)
        let shown = unknown.rendered(source: text, color: false).split(separator: "\n")
        #expect(shown.count >= 3)
        let line = try #require(shown.dropFirst().first.map(String.init))
        let caret = try #require(shown.dropFirst(2).first.map(String.init))
        #expect(line == "      Currency.CurrencyCode: settings.currency")
        // The caret stands under the setting's name.
        #expect(caret.trimmingCharacters(in: .whitespaces) == "^")
        #expect(caret.count - 1 == line.count - "currency".count)
    }

    @Test(arguments: ["\n", "\r", "\u{2028}"])
    func aForbiddenCharacterIsOnItsLine(lineEnd: String) {
        let text = ["version: 1", "sales_order:", "  fields:", "    Comments: \u{07}order.comment", ""].joined(separator: lineEnd)
        let result = RuleLoader.load(files: [(path: "r.yaml", text: text)])
        let bell = result.diagnostics.first { $0.message.contains("U+0007") }
        #expect(bell?.location?.line == 4, "\(result.diagnostics)")
        #expect(bell?.location?.column == 15)
    }
}
