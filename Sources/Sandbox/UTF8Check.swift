/// Finds the first byte that breaks UTF-8 (Unicode's table of well-formed sequences), so a
/// refusal names the byte that is wrong, where it is, and why — not a character decoded from it.
enum UTF8Check {
    /// `byte 0xFF at offset 12 (…why…)`, or nil when `bytes` are valid UTF-8. Offsets count from 0.
    static func firstProblem(_ bytes: [UInt8]) -> String? {
        var i = 0
        let count = bytes.count
        while i < count {
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b0 {
            case 0x80...0xBF: return "\(hex(b0)) at offset \(i) (a continuation byte with no lead byte before it)"
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return "\(hex(b0)) at offset \(i) (never used in UTF-8)"
            }
            for k in 1..<length {
                guard i + k < count else {
                    return "\(hex(b0)) at offset \(i) (starts a \(length)-byte sequence, but the body ends after \(k) byte\(k == 1 ? "" : "s"))"
                }
                let b = bytes[i + k]
                if b & 0xC0 != 0x80 {
                    return "\(hex(b0)) at offset \(i) (starts a \(length)-byte sequence, but \(hex(b)) follows at offset \(i + k))"
                }
                if k == 1, b < low || b > high {
                    let what = b0 == 0xED ? "an encoded surrogate" : b0 == 0xF4 ? "a code point above U+10FFFF" : "an overlong encoding"
                    return "\(hex(b0)) at offset \(i) (followed by \(hex(b)): \(what), which UTF-8 does not allow)"
                }
            }
            i += length
        }
        return nil
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (digits.count == 1 ? "0" + digits : digits)
    }
}
