/// Decodes JSON string contents (between the quotes, already validated by the parser).
enum StringDecoder {
    /// Unescaped UTF-8 bytes of a validated string body that contains escapes.
    static func unescape(_ p: UnsafeBufferPointer<UInt8>, from start: Int, length: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(length)
        var i = start
        let end = start + length
        while i < end {
            let b = p[i]
            guard b == 0x5C, i + 1 < end else {
                out.append(b)
                i += 1
                continue
            }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(p, i)
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF && i + 6 <= end {
                    let low = hex4(p, i + 2)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)
            }
        }
        return out
    }

    /// Four hex digits at `i` (validated by the parser).
    static func hex4(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | (hexDigit(p[i + k]) ?? 0) }
        return value
    }

    /// Appends a scalar's UTF-8 encoding.
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// A `String` from validated UTF-8 bytes.
    static func string(_ p: UnsafeBufferPointer<UInt8>, from start: Int, length: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[start..<start + length]), as: UTF8.self)
    }
}
