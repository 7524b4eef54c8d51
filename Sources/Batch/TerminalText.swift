/// Text from a batch or from Unleashed made safe for people's output (a terminal, a text file):
/// every control character (C0, C1, DEL, U+2028/2029) is shown as an escape (`\x0A`, `\u2028`)
/// instead of moving the cursor, rewriting the line or faking a line of output. The json and
/// ndjson formats escape them as JSON does; every human-readable format goes through this.
public enum TerminalText {
    /// `text` with its control characters escaped; text without any is returned as it is.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result += scalar.value <= 0xFF ? "\\x" + hex(scalar.value, 2) : "\\u" + hex(scalar.value, 4)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F), LINE and PARAGRAPH SEPARATOR.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029: return true
        default: return false
        }
    }

    private static func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
