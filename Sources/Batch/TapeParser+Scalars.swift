extension TapeParser {
    /// Parses a string starting at the quote `start`; validates escapes and UTF-8; appends a
    /// string entry. Returns the offset after the closing quote.
    mutating func parseString(at start: Int) throws(JSONError) -> Int {
        let end = p.count
        var i = start + 1
        var escaped = false
        while true {
            // Fast path: eight bytes at a time while none is '"', '\\', a control character or non-ASCII.
            i = skipPlainASCII(from: i)
            while i < end {
                let b = p[i]
                if b >= 0x20 && b < 0x80 && b != 0x22 && b != 0x5C { i += 1 } else { break }
            }
            guard i < end else { throw fail(start, "unterminated string: no closing '\"' before the end of input") }
            let b = p[i]
            if b == 0x22 { break }
            if b == 0x5C {
                escaped = true
                i = try validateEscape(at: i)
            } else if b < 0x20 {
                throw fail(i, "unescaped control character U+00\(b < 0x10 ? "0" : "")\(String(b, radix: 16, uppercase: true)) in string")
            } else {
                i = try validateUTF8(at: i)
            }
        }
        let length = i - start - 1
        guard length <= limits.maxStringBytes else {
            throw fail(start, "string of \(length) bytes is over the limit of \(limits.maxStringBytes) (JSONLimits.maxStringBytes)")
        }
        append(Tape.entry(escaped ? Tape.escapedString : Tape.string, start + 1, length))
        return i + 1
    }

    /// The offset of the first byte at or after `i` that is '"', '\\', below 0x20 or above 0x7F,
    /// tested a word at a time (SWAR); stops at the last full word of the buffer.
    @inline(__always)
    func skipPlainASCII(from start: Int) -> Int {
        guard let base = p.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        var i = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= p.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                | ((word &- ones &* 0x20) & ~word) | word
            let mask = special & highs
            if mask != 0 { return i + mask.trailingZeroBitCount >> 3 }
            i += 8
        }
        return i
    }

    /// Validates the escape at `i` (a backslash); returns the offset after it.
    func validateEscape(at i: Int) throws(JSONError) -> Int {
        guard i + 1 < p.count else { throw fail(i, "unterminated string: no closing '\"' before the end of input") }
        switch p[i + 1] {
        case 0x22, 0x5C, 0x2F, UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: i)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw fail(i, "lone surrogate \\u\(hexText(unit)) in string: a low surrogate must follow a high one")
            }
            guard unit >= 0xD800 && unit <= 0xDBFF else { return i + 6 }
            let next = i + 6
            guard next + 1 < p.count, p[next] == 0x5C, p[next + 1] == UInt8(ascii: "u") else {
                throw fail(i, "lone surrogate \\u\(hexText(unit)) in string: a high surrogate must be followed by a \\u low surrogate")
            }
            let low = try hex4(at: next)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw fail(i, "lone surrogate \\u\(hexText(unit)) in string: a high surrogate must be followed by a \\u low surrogate")
            }
            return next + 6
        default:
            throw fail(i, "invalid escape '\\\(describeEscaped(i + 1))' in string")
        }
    }

    /// The character after a backslash, for messages.
    func describeEscaped(_ i: Int) -> String {
        let b = p[i]
        return b > 0x20 && b < 0x7F ? String(Character(Unicode.Scalar(b))) : "<0x\(String(b, radix: 16, uppercase: true))>"
    }

    /// The four hex digits after `\u` at `i` (the backslash).
    func hex4(at i: Int) throws(JSONError) -> UInt32 {
        guard i + 6 <= p.count else { throw fail(i, "invalid \\u escape: expected 4 hex digits") }
        var value: UInt32 = 0
        for k in 2..<6 {
            guard let digit = hexDigit(p[i + k]) else { throw fail(i, "invalid \\u escape: expected 4 hex digits") }
            value = value << 4 | digit
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence at `i` (`UTF8Validation`, inlined here); returns
    /// the offset after it. Errors name the sequence's first byte, where it starts, and what broke it.
    func validateUTF8(at i: Int) throws(JSONError) -> Int {
        let length = UTF8Validation.sequenceLength(at: i, in: p)
        guard length > 0 else { throw fail(i, utf8Message(UTF8Validation.problem(at: i, in: p), at: i)) }
        return i + length
    }

    /// The message for invalid UTF-8 at `i` (off the hot path).
    @inline(never)
    func utf8Message(_ problem: UTF8Validation.Problem, at i: Int) -> String {
        switch problem {
        case .continuationWithoutLead, .neverUsed:
            return "invalid UTF-8 in string (\(describe(i)))"
        case .truncated:
            return "invalid UTF-8 in string (truncated sequence)"
        case .notContinued(let length, let k):
            return "invalid UTF-8 in string (\(describe(i)) starts a \(length)-byte sequence, but \(describe(i + k)) follows it)"
        case .disallowed(_, let why):
            return "invalid UTF-8 in string (\(describe(i)), then \(describe(i + 1)): \(why.text), which UTF-8 does not allow)"
        }
    }

    /// Parses a number at `start` (RFC 8259 grammar); appends a number entry.
    mutating func parseNumber(at start: Int) throws(JSONError) -> Int {
        let end = p.count
        var i = start
        if p[i] == UInt8(ascii: "-") {
            i += 1
            guard i < end, isDigit(p[i]) else {
                if i < end && p[i] == UInt8(ascii: "I") { throw fail(start, "NaN and Infinity are not valid JSON numbers") }
                throw fail(i, "invalid number: expected a digit after '-'")
            }
        }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if i < end && isDigit(p[i]) { throw fail(start, "invalid number: leading zeros are not allowed") }
        } else {
            while i < end && isDigit(p[i]) { i += 1 }
        }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < end, isDigit(p[i]) else { throw fail(i, "invalid number: expected a digit after '.'") }
            while i < end && isDigit(p[i]) { i += 1 }
        }
        if i < end && p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < end, isDigit(p[i]) else { throw fail(i, "invalid number: expected a digit in the exponent") }
            while i < end && isDigit(p[i]) { i += 1 }
        }
        guard i - start <= limits.maxNumberLength else {
            throw fail(start, "number of \(i - start) characters is over the limit of \(limits.maxNumberLength) (JSONLimits.maxNumberLength)")
        }
        append(Tape.entry(Tape.number, start, i - start))
        return i
    }
}

/// The value of an ASCII hex digit, or nil.
@inline(__always)
func hexDigit(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - 48)
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - 87)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - 55)
    default: return nil
    }
}

/// Four upper-case hex digits.
func hexText(_ value: UInt32) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - text.count)) + text
}
