extension JSONWriter {
    /// Writes the value at `i` of a record by walking its tape: strings are re-escaped, numbers
    /// keep their exact text, keys keep their order. (`raw(record.rawJSON(i))` copies instead.)
    public mutating func write(_ record: JSONRecord, _ i: JSONIndex) {
        let tape = record.tape
        let start = Int(i.raw)
        let last = record.after(start)
        var inObject: [Bool] = []
        var expectKey = false
        record.bytes.withUnsafeBufferPointer { source in
            var t = start
            while t < last {
                let entry = tape[t]
                t += 1
                switch Tape.kind(entry) {
                case Tape.objectOpen, Tape.arrayOpen:
                    let isObject = Tape.kind(entry) == Tape.objectOpen
                    if isObject { beginObject() } else { beginArray() }
                    inObject.append(isObject)
                    expectKey = isObject
                    continue
                case Tape.objectClose, Tape.arrayClose:
                    if Tape.kind(entry) == Tape.objectClose { endObject() } else { endArray() }
                    inObject.removeLast()
                case Tape.string, Tape.escapedString:
                    separate()
                    if Tape.kind(entry) == Tape.string {
                        appendEscaped(UnsafeBufferPointer(rebasing: source[Tape.a(entry)..<Tape.a(entry) + Tape.b(entry)]))
                    } else {
                        StringDecoder.unescape(source, from: Tape.a(entry), length: Tape.b(entry)).withUnsafeBufferPointer { appendEscaped($0) }
                    }
                    if expectKey {
                        self.bytes.append(UInt8(ascii: ":"))
                        needsComma = false
                        expectKey = false
                        continue
                    }
                case Tape.number:
                    separate()
                    self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[Tape.a(entry)..<Tape.a(entry) + Tape.b(entry)]))
                case Tape.trueValue: bool(true)
                case Tape.falseValue: bool(false)
                default: null()
                }
                expectKey = inObject.last ?? false
            }
        }
    }
}
