import Batch

extension JSONWriter {
    /// Writes a runtime value: batch strings and numbers as their exact source bytes, decimals
    /// and integers without building strings. `records` may be nil for constants (which never
    /// point into a record). Callers leave null fields out; a null written here is `null`.
    mutating func value(_ value: Value, _ records: RecordPair?) {
        switch value {
        case .null, .omit: null()
        case .bool(let b): bool(b)
        case .number(let d): decimal(d)
        case .text(let s): string(s)
        case .node(let slot, let i):
            guard let record = records?.record(slot) else { return null() }
            raw(record.rawJSON(i))
        case .json(let j): write(j)
        case .list(let list):
            beginArray()
            for element in list { self.value(element, records) }
            endArray()
        }
    }
}
