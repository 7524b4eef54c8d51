/// Parses one JSON document from bytes into a tape (see `Tape`), validating everything RFC 8259
/// asks: structure, number grammar, string escapes, UTF-8. Iterative (an explicit stack), so
/// deep input hits `maxDepth` instead of the thread's stack.
struct TapeParser {
    let p: UnsafeBufferPointer<UInt8>
    let limits: JSONLimits
    let storage: TapeStorage
    /// The tape so far: `tape[0..<count]` (storage's buffer, cached here).
    var tape: UnsafeMutablePointer<UInt64>
    var count = 0
    var capacity: Int
    /// Open containers: tape index in the high 32 bits, member/element count in the low 32.
    let stack: UnsafeMutablePointer<UInt64>
    var depth = 0
    /// Added to byte offsets quoted inside messages (the record's offset in its file).
    var origin = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits, storage: TapeStorage) {
        self.p = bytes
        self.limits = limits
        self.storage = storage
        storage.ensureStack(max(limits.maxDepth, 0) + 1)
        self.tape = storage.tape
        self.capacity = storage.tapeCapacity
        self.stack = storage.stack
    }

    /// Appends a tape entry, growing the storage when full.
    @inline(__always)
    mutating func append(_ entry: UInt64) {
        if count == capacity {
            storage.growTape(keeping: count)
            tape = storage.tape
            capacity = storage.tapeCapacity
        }
        tape[count] = entry
        count += 1
    }

    /// The finished tape, exact size.
    func result() -> [UInt64] {
        storage.copyTape(count)
    }

    /// Parses the whole buffer (a UTF-8 BOM at the start is skipped) as exactly one value.
    mutating func parseDocument() throws(JSONError) {
        guard p.count <= min(limits.maxRecordBytes, Tape.fieldMax) else {
            throw JSONError.at(0, in: p, "record is \(p.count) bytes, over the limit of \(min(limits.maxRecordBytes, Tape.fieldMax)) (JSONLimits.maxRecordBytes)")
        }
        var i = 0
        if p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
        i = skipWhitespace(i)
        guard i < p.count else { throw fail(i, "empty input, expected a JSON value") }
        i = try parseValues(from: i)
        i = skipWhitespace(i)
        if i < p.count {
            if p[i] == UInt8(ascii: "/") { throw fail(i, "comments are not allowed in JSON") }
            throw fail(i, "unexpected \(describe(i)) after the JSON value")
        }
    }

    /// Parses one value at the start of the buffer (no BOM, no whitespace before it) and
    /// returns its length; bytes after it are not looked at.
    mutating func parseValue() throws(JSONError) -> Int {
        guard !p.isEmpty else { throw fail(0, "unexpected end of input, expected a value") }
        return try parseValues(from: 0)
    }

    @inline(__always)
    func skipWhitespace(_ start: Int) -> Int {
        var i = start
        while i < p.count {
            let b = p[i]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { break }
        }
        return i
    }

    func fail(_ offset: Int, _ message: String) -> JSONError {
        JSONError.at(offset, in: p, message)
    }

    /// "'x'", "byte 0xFF" or "end of input" for the byte at `i`.
    func describe(_ i: Int) -> String {
        guard i < p.count else { return "end of input" }
        let b = p[i]
        if b > 0x20 && b < 0x7F { return "character '\(Character(Unicode.Scalar(b)))'" }
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// Parses a value and everything nested in it; returns the offset after it.
    mutating func parseValues(from start: Int) throws(JSONError) -> Int {
        var i = start
        // Loop invariant: `i` is at the first byte of a value (whitespace skipped).
        while true {
            guard i < p.count else {
                throw fail(i, depth == 0 ? "unexpected end of input, expected a value" : unclosed())
            }
            let b = p[i]
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = b == UInt8(ascii: "{")
                guard depth < limits.maxDepth else {
                    throw fail(i, "nesting deeper than \(limits.maxDepth) levels (JSONLimits.maxDepth)")
                }
                stack[depth] = UInt64(count) << 32
                depth += 1
                append(Tape.entry(isObject ? Tape.objectOpen : Tape.arrayOpen, i, 0))
                i = skipWhitespace(i + 1)
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if i < p.count && p[i] == close {
                    i = closeContainer(at: i)
                    if try afterValue(&i) { continue }
                    return i
                }
                if isObject {
                    i = try parseKey(at: i, afterComma: false)
                }
                continue
            case UInt8(ascii: "\""):
                i = try parseString(at: i)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                i = try parseNumber(at: i)
            case UInt8(ascii: "t"):
                i = try literal(at: i, "true", Tape.trueValue)
            case UInt8(ascii: "f"):
                i = try literal(at: i, "false", Tape.falseValue)
            case UInt8(ascii: "n"):
                i = try literal(at: i, "null", Tape.null)
            default:
                throw unexpectedValueStart(at: i)
            }
            if try afterValue(&i) { continue }
            return i
        }
    }

    /// After a complete value: handles ',' and closing brackets. Returns true with `i` at the
    /// start of the next value, or false when the outermost value is complete (`i` after it).
    @inline(__always)
    mutating func afterValue(_ i: inout Int) throws(JSONError) -> Bool {
        while depth > 0 {
            let top = stack[depth - 1]
            stack[depth - 1] = top + 1
            let isObject = Tape.kind(tape[Int(top >> 32)]) == Tape.objectOpen
            i = skipWhitespace(i)
            guard i < p.count else { throw fail(i, unclosed()) }
            let b = p[i]
            if b == UInt8(ascii: ",") {
                i = skipWhitespace(i + 1)
                if isObject {
                    i = try parseKey(at: i, afterComma: true)
                    return true
                }
                if i < p.count && p[i] == UInt8(ascii: "]") { throw fail(i, "trailing comma before ']'") }
                return true
            }
            if b == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                i = closeContainer(at: i)
                continue
            }
            if b == UInt8(ascii: "/") { throw fail(i, "comments are not allowed in JSON") }
            throw fail(i, isObject
                ? "expected ',' or '}' after object member, found \(describe(i))"
                : "expected ',' or ']' after array element, found \(describe(i))")
        }
        return false
    }

    /// Writes the close entry for the innermost container (bracket at `i`); returns i + 1.
    @inline(__always)
    mutating func closeContainer(at i: Int) -> Int {
        depth -= 1
        let top = stack[depth]
        let openIndex = Int(top >> 32)
        let count = Int(top & 0xFFFF_FFFF)
        let isObject = Tape.kind(tape[openIndex]) == Tape.objectOpen
        tape[openIndex] = Tape.entry(isObject ? Tape.objectOpen : Tape.arrayOpen, Tape.a(tape[openIndex]), self.count)
        append(Tape.entry(isObject ? Tape.objectClose : Tape.arrayClose, i, count))
        return i + 1
    }

    /// The message for input ending inside a container.
    func unclosed() -> String {
        guard depth > 0 else { return "unexpected end of input" }
        let top = stack[depth - 1]
        let entry = tape[Int(top >> 32)]
        let what = Tape.kind(entry) == Tape.objectOpen ? "object" : "array"
        return "unexpected end of input: the \(what) opened at byte \(origin + Tape.a(entry)) is not closed"
    }

    /// Parses `"key"` and the ':' after it; returns the start of the member's value.
    mutating func parseKey(at start: Int, afterComma: Bool) throws(JSONError) -> Int {
        guard start < p.count else { throw fail(start, unclosed()) }
        guard p[start] == UInt8(ascii: "\"") else {
            if afterComma && p[start] == UInt8(ascii: "}") { throw fail(start, "trailing comma before '}'") }
            if p[start] == UInt8(ascii: "/") { throw fail(start, "comments are not allowed in JSON") }
            throw fail(start, "expected a string key in object, found \(describe(start))")
        }
        var i = try parseString(at: start)
        i = skipWhitespace(i)
        guard i < p.count, p[i] == UInt8(ascii: ":") else {
            if i >= p.count { throw fail(i, unclosed()) }
            throw fail(i, "expected ':' after object key, found \(describe(i))")
        }
        return skipWhitespace(i + 1)
    }

    /// A value cannot start at `i`: says why, naming the common non-JSON extensions.
    func unexpectedValueStart(at i: Int) -> JSONError {
        let b = p[i]
        switch b {
        case UInt8(ascii: "/"): return fail(i, "comments are not allowed in JSON")
        case UInt8(ascii: "N"), UInt8(ascii: "I"): return fail(i, "NaN and Infinity are not valid JSON numbers")
        case UInt8(ascii: "'"): return fail(i, "single-quoted strings are not allowed in JSON, use '\"'")
        default: return fail(i, "unexpected \(describe(i)), expected a value")
        }
    }

    /// Parses `true`, `false` or `null` at `i`.
    mutating func literal(at i: Int, _ word: StaticString, _ kind: UInt64) throws(JSONError) -> Int {
        let length = word.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: length)
        guard i + length <= p.count else { throw fail(i, "invalid literal, expected '\(word)'") }
        for k in 0..<length where p[i + k] != expected[k] {
            throw fail(i, "invalid literal, expected '\(word)'")
        }
        append(Tape.entry(kind, i, 0))
        return i + length
    }
}
