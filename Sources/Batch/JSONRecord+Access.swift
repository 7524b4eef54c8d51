extension JSONRecord {
    /// Element `n` of the array at `i`; nil if not an array or out of range.
    public func element(_ i: JSONIndex, _ n: Int) -> JSONIndex? {
        let t = Int(i.raw)
        let open = tape[t]
        guard Tape.kind(open) == Tape.arrayOpen, n >= 0 else { return nil }
        let close = Tape.b(open)
        var j = t + 1
        var k = 0
        while j < close {
            if k == n { return JSONIndex(raw: Int32(truncatingIfNeeded: j)) }
            k += 1
            j = after(j)
        }
        return nil
    }

    /// The number of elements (array) or members (object); 0 for scalars.
    @inlinable
    public func count(_ i: JSONIndex) -> Int {
        let open = tape[Int(i.raw)]
        let kind = Tape.kind(open)
        guard kind == Tape.arrayOpen || kind == Tape.objectOpen else { return 0 }
        return Tape.b(tape[Tape.b(open)])
    }

    /// The elements of the array at `i` (empty if not an array).
    public func elements(_ i: JSONIndex) -> [JSONIndex] {
        let t = Int(i.raw)
        let open = tape[t]
        guard Tape.kind(open) == Tape.arrayOpen else { return [] }
        var result: [JSONIndex] = []
        result.reserveCapacity(count(i))
        var j = t + 1
        let close = Tape.b(open)
        while j < close {
            result.append(JSONIndex(raw: Int32(truncatingIfNeeded: j)))
            j = after(j)
        }
        return result
    }

    /// The members of the object at `i` in source order (duplicates included).
    public func members(_ i: JSONIndex) -> [(key: String, value: JSONIndex)] {
        let t = Int(i.raw)
        let open = tape[t]
        guard Tape.kind(open) == Tape.objectOpen else { return [] }
        var result: [(key: String, value: JSONIndex)] = []
        result.reserveCapacity(count(i))
        var j = t + 1
        let close = Tape.b(open)
        while j < close {
            result.append((stringAt(j), JSONIndex(raw: Int32(truncatingIfNeeded: j + 1))))
            j = after(j + 1)
        }
        return result
    }

    /// The decoded string at tape index `t` (which must be a string entry).
    func stringAt(_ t: Int) -> String {
        let entry = tape[t]
        if Tape.kind(entry) == Tape.string {
            return bytes.withUnsafeBufferPointer { StringDecoder.string($0, from: Tape.a(entry), length: Tape.b(entry)) }
        }
        return String(decoding: decodedBytes(entry), as: UTF8.self)
    }

    /// The decoded string at `i`, nil if it is not a string.
    public func string(_ i: JSONIndex) -> String? {
        let kind = Tape.kind(tape[Int(i.raw)])
        guard kind == Tape.string || kind == Tape.escapedString else { return nil }
        return stringAt(Int(i.raw))
    }

    /// True when the value at `i` is a string equal to `key`'s text (compared as bytes).
    @inlinable
    public func stringEquals(_ i: JSONIndex, _ key: JSONKey) -> Bool {
        let entry = tape[Int(i.raw)]
        let kind = Tape.kind(entry)
        guard kind == Tape.string || kind == Tape.escapedString else { return false }
        return keyEquals(entry, key)
    }

    /// True when the value at `i` is a string of zero length.
    @inlinable
    public func isEmptyString(_ i: JSONIndex) -> Bool {
        let entry = tape[Int(i.raw)]
        return Tape.kind(entry) == Tape.string && Tape.b(entry) == 0
    }

    /// The boolean at `i`, nil if it is not a boolean.
    @inlinable
    public func bool(_ i: JSONIndex) -> Bool? {
        switch Tape.kind(tape[Int(i.raw)]) {
        case Tape.trueValue: return true
        case Tape.falseValue: return false
        default: return nil
        }
    }

    /// The number at `i` with its exact source text, nil if it is not a number.
    public func number(_ i: JSONIndex) -> JSONNumber? {
        let entry = tape[Int(i.raw)]
        guard Tape.kind(entry) == Tape.number else { return nil }
        return bytes.withUnsafeBufferPointer { JSONNumber(validated: StringDecoder.string($0, from: Tape.a(entry), length: Tape.b(entry))) }
    }

    /// The exact decimal at `i`: from a number, or from a string holding a decimal ("28.7900").
    /// Nil for other kinds, non-decimal strings, and values out of `ExactDecimal`'s range.
    public func decimal(_ i: JSONIndex) -> ExactDecimal? {
        let entry = tape[Int(i.raw)]
        let kind = Tape.kind(entry)
        if kind == Tape.number || kind == Tape.string {
            let start = Tape.a(entry)
            let length = Tape.b(entry)
            return bytes.withUnsafeBytes { ExactDecimal(utf8: UnsafeRawBufferPointer(rebasing: $0[start..<start + length])) }
        }
        if kind == Tape.escapedString {
            return decodedBytes(entry).withUnsafeBytes { ExactDecimal(utf8: $0) }
        }
        return nil
    }

    /// True when the value at `i` is `null`.
    @inlinable
    public func isNull(_ i: JSONIndex) -> Bool {
        Tape.kind(tape[Int(i.raw)]) == Tape.null
    }

    /// The value's exact source bytes (copy into output without re-encoding).
    public func rawJSON(_ i: JSONIndex) -> ArraySlice<UInt8> {
        let entry = tape[Int(i.raw)]
        let start = Tape.a(entry)
        switch Tape.kind(entry) {
        case Tape.null, Tape.trueValue: return bytes[start..<start + 4]
        case Tape.falseValue: return bytes[start..<start + 5]
        case Tape.number: return bytes[start..<start + Tape.b(entry)]
        case Tape.string, Tape.escapedString: return bytes[start - 1..<start + Tape.b(entry) + 1]
        default: return bytes[start...Tape.a(tape[Tape.b(entry)])]
        }
    }

    /// Materialises the subtree at `i` (recursion is bounded by the parse's `maxDepth`).
    public func value(_ i: JSONIndex) -> JSONValue {
        let t = Int(i.raw)
        let entry = tape[t]
        switch Tape.kind(entry) {
        case Tape.null: return .null
        case Tape.trueValue: return .bool(true)
        case Tape.falseValue: return .bool(false)
        case Tape.number: return number(i).map(JSONValue.number) ?? .null
        case Tape.string, Tape.escapedString: return .string(stringAt(t))
        case Tape.arrayOpen: return .array(elements(i).map { value($0) })
        default:
            var keys: [String] = []
            var values: [JSONValue] = []
            var j = t + 1
            let close = Tape.b(entry)
            while j < close {
                keys.append(stringAt(j))
                values.append(value(JSONIndex(raw: Int32(truncatingIfNeeded: j + 1))))
                j = after(j + 1)
            }
            let object = JSONObject(parsed: keys, values)
            return .object(object)
        }
    }
}
