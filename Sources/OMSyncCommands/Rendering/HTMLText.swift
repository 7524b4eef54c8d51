import Batch

/// Text from a batch, the rules or Unleashed made safe inside HTML: `&`, `<`, `>`, `"` and `'`
/// become character references (so text is safe both between tags and inside a quoted
/// attribute), and control characters are shown as `TerminalText` escapes. Every piece of
/// text the HTML report writes goes through `escaped`; only the report's own markup does not.
enum HTMLText {
    /// `text` escaped for HTML content and quoted attribute values.
    static func escaped(_ text: String) -> String {
        let visible = TerminalText.escaped(text)
        guard visible.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return visible
        }
        var result = ""
        result.reserveCapacity(visible.utf8.count + 16)
        for character in visible.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// An id for an HTML anchor from arbitrary text: letters, digits, `-` and `_` kept, anything
    /// else as `.XX` hex bytes (so two different texts never share an anchor).
    static func anchor(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x5F: result.unicodeScalars.append(Unicode.Scalar(byte))
            default: result += "." + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
