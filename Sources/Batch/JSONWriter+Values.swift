extension JSONWriter {
    /// Writes a whole value: compact, or pretty (two-space indentation, `": "` after keys).
    public mutating func write(_ value: JSONValue, pretty: Bool = false) {
        if pretty {
            separate()
            writePretty(value, indent: 0)
        } else {
            writeCompact(value)
        }
    }

    mutating func writeCompact(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): number(n)
        case .string(let s): string(s)
        case .array(let elements):
            beginArray()
            for element in elements { writeCompact(element) }
            endArray()
        case .object(let object):
            beginObject()
            for (k, v) in object {
                key(k)
                writeCompact(v)
            }
            endObject()
        }
    }

    mutating func writePretty(_ value: JSONValue, indent: Int) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            bytes.append(UInt8(ascii: "["))
            for (n, element) in elements.enumerated() {
                if n > 0 { bytes.append(UInt8(ascii: ",")) }
                newlineIndent(indent + 1)
                writePretty(element, indent: indent + 1)
            }
            newlineIndent(indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            bytes.append(UInt8(ascii: "{"))
            for (n, member) in object.enumerated() {
                if n > 0 { bytes.append(UInt8(ascii: ",")) }
                newlineIndent(indent + 1)
                appendString(member.key)
                bytes.append(contentsOf: ": ".utf8)
                writePretty(member.value, indent: indent + 1)
            }
            newlineIndent(indent)
            bytes.append(UInt8(ascii: "}"))
        default:
            needsComma = false
            writeCompact(value)
        }
        needsComma = true
    }

    mutating func newlineIndent(_ level: Int) {
        bytes.append(0x0A)
        for _ in 0..<level * 2 { bytes.append(0x20) }
    }

    /// Appends `s` as a quoted, escaped JSON string.
    @usableFromInline
    mutating func appendString(_ s: String) {
        var text = s
        text.withUTF8 { appendEscaped($0) }
    }

    /// Appends UTF-8 bytes as a quoted, escaped JSON string.
    public mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        let count = utf8.count
        while i < count {
            i = skipUnescaped(utf8, from: i)
            guard i < count else { break }
            let b = utf8[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0xE2 {
                i += 1
                continue
            }
            if b == 0xE2 {
                // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
                guard i + 2 < count, utf8[i + 1] == 0x80, utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9 else {
                    i += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                bytes.append(contentsOf: (utf8[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 3
                runStart = i
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
            appendEscape(b)
            i += 1
            runStart = i
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// The first offset at or after `start` whose byte may need escaping ('"', '\\', a control
    /// character, or 0xE2 which starts U+2028/U+2029), eight bytes at a time.
    @inline(__always)
    func skipUnescaped(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = utf8.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = start
        while i + 8 <= utf8.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let e2 = word ^ (ones &* 0xE2)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                | ((e2 &- ones) & ~e2) | ((word &- ones &* 0x20) & ~word)
            let mask = special & (ones &* 0x80)
            if mask != 0 { return i + mask.trailingZeroBitCount >> 3 }
            i += 8
        }
        return i
    }

    mutating func appendEscape(_ b: UInt8) {
        bytes.append(0x5C)
        switch b {
        case 0x22: bytes.append(0x22)
        case 0x5C: bytes.append(0x5C)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        }
    }
}
