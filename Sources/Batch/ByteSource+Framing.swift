/// How scanning one value ended.
enum FrameEnd {
    /// The value is complete.
    case complete
    /// The input ended inside the value.
    case truncated
}

extension ByteSource {
    /// Scans one JSON value starting at the next byte (not whitespace) without validating it:
    /// tracks strings, escapes and bracket depth to find where it ends. Copies its bytes into
    /// `out` when `copy` is true and the value is at most `limit` bytes; returns the value's size.
    /// A scalar ends before `,` `]` `}` or whitespace; a string or container at its closing byte.
    func scanValue(into out: inout [UInt8], copy: Bool, limit: Int) -> (FrameEnd, Int) {
        var depth = 0
        var inString = false
        var escaped = false
        var segment = position
        var size = 0
        var copying = copy
        @inline(__always) func flush() {
            size += position - segment
            if copying {
                if size > limit {
                    copying = false
                    out.removeAll()
                } else {
                    self.copy(from: segment, into: &out)
                }
            }
        }
        while true {
            if position == end {
                flush()
                guard refill() else { return (.truncated, size) }
                segment = position
            }
            if inString {
                if escaped {
                    escaped = false
                    advance()
                    continue
                }
                var p = skipStringBytes(from: position)
                while p < end {
                    let c = buffer[p]
                    if c == 0x22 || c == 0x5C || c == 0x0A { break }
                    p += 1
                }
                position = p
                if p == end { continue }
                let c = buffer[p]
                advance()
                if c == 0x22 {
                    inString = false
                    if depth == 0 { break }
                } else if c == 0x5C {
                    escaped = true
                }
                continue
            }
            let b = buffer[position]
            switch b {
            case 0x22:
                inString = true
                position += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { flush(); return (.complete, size) }
                depth -= 1
                position += 1
                if depth == 0 { flush(); return (.complete, size) }
            case UInt8(ascii: ","), 0x20, 0x09, 0x0D, 0x0A:
                if depth == 0 { flush(); return (.complete, size) }
                advance()
            default:
                position += 1
            }
        }
        flush()
        return (.complete, size)
    }

    /// The first buffer index at or after `start` holding '"', '\\' or '\n', eight bytes at a time
    /// (stops at the last full word before `end`).
    @inline(__always)
    func skipStringBytes(from start: Int) -> Int {
        let raw = UnsafeRawPointer(buffer)
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = start
        while i + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let newline = word ^ (ones &* 0x0A)
            let mask = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((newline &- ones) & ~newline))
                & (ones &* 0x80)
            if mask != 0 { return i + mask.trailingZeroBitCount >> 3 }
            i += 8
        }
        return i
    }

    /// Reads a string at the next byte (a quote): its raw bytes between the quotes, or nil when
    /// they are over `limit` bytes (then only `length`, the raw length, is known). Nil result
    /// when the input ends first.
    func scanString(limit: Int) -> (bytes: [UInt8]?, length: Int)? {
        var raw: [UInt8] = []
        let (result, size) = scanValue(into: &raw, copy: true, limit: limit + 2)
        guard result == .complete, size >= 2 else { return nil }
        guard raw.count == size, raw.first == 0x22, raw.last == 0x22 else { return (nil, size - 2) }
        return (Array(raw.dropFirst().dropLast()), size - 2)
    }
}
