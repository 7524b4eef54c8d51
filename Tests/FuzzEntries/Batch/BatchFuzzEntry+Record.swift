import Batch

extension BatchFuzzEntry {
    /// Walks every value of `record` through the tape accessors and compares them with the
    /// materialised value and with a fresh parse of the record's exact source bytes.
    static func check(_ record: JSONRecord, failures: inout [String]) {
        let value = record.value(record.root)
        let raw = Array(record.rawJSON(record.root))
        do {
            let reparsed = try JSONValue.parse(raw, limits: JSONLimits(maxDepth: 1 << 16, maxStringBytes: 1 << 30,
                                                                       maxNumberLength: 1 << 20, maxRecordBytes: 1 << 30))
            if reparsed != value { failures.append("a record's value differs from its source bytes re-read: \(raw.prefix(200))") }
        } catch {
            failures.append("a record's source bytes do not read again: \(error): \(raw.prefix(200))")
        }
        walk(record, record.root, value, depth: 0, failures: &failures)
    }

    /// One value and its children: kind, count, members, elements, scalars.
    static func walk(_ record: JSONRecord, _ i: JSONIndex, _ value: JSONValue, depth: Int, failures: inout [String]) {
        guard depth < 200 else { return }
        switch (record.kind(i), value) {
        case (.null, .null):
            if !record.isNull(i) { failures.append("isNull false on a null") }
        case (.bool, .bool(let b)):
            if record.bool(i) != b { failures.append("bool differs") }
        case (.number, .number(let n)):
            guard let number = record.number(i), number == n else { failures.append("number differs"); return }
            numberRoundTrip(number, failures: &failures)
        case (.string, .string(let s)):
            if record.string(i) != s { failures.append("string differs") }
            if !record.stringEquals(i, JSONKey(s)) { failures.append("stringEquals false on its own text \(s.debugDescription.prefix(80))") }
            _ = record.decimal(i)
        case (.array, .array(let array)):
            let elements = record.elements(i)
            if elements.count != array.count || record.count(i) != array.count { failures.append("array count differs") }
            for (n, (element, expected)) in zip(elements, array).enumerated() {
                if record.element(i, n) != element { failures.append("element(\(n)) differs from elements()[\(n)]") }
                walk(record, element, expected, depth: depth + 1, failures: &failures)
            }
            if record.element(i, array.count) != nil || record.element(i, -1) != nil { failures.append("element out of range is not nil") }
        case (.object, .object(let object)):
            let members = record.members(i)
            if record.count(i) != members.count { failures.append("member count differs") }
            for (key, child) in members {
                guard let last = record.member(i, JSONKey(key)) else { failures.append("member(\(key.debugDescription)) is nil"); continue }
                guard let expected = object[key] else { failures.append("materialised object lacks \(key.debugDescription)"); continue }
                // The last duplicate wins: member() is the value the object keeps.
                if record.value(last) != expected { failures.append("member(\(key.debugDescription)) is not the last duplicate") }
                walk(record, child, record.value(child), depth: depth + 1, failures: &failures)
            }
            if object.count != Set(members.map(\.key)).count { failures.append("object keeps \(object.count) keys of \(Set(members.map(\.key)).count) distinct") }
        default:
            failures.append("kind \(record.kind(i)) does not match the value \(value.serialized().prefix(80))")
        }
    }

    /// A number's exact decimal, when it has one, written and read again is the same decimal.
    static func numberRoundTrip(_ number: JSONNumber, failures: inout [String]) {
        if JSONNumber(text: number.text) == nil { failures.append("number text \(number.text.prefix(40)) is not a valid number") }
        guard let decimal = number.decimal else { return }
        guard let again = ExactDecimal(decimal.description) else {
            failures.append("decimal \(decimal) of \(number.text.prefix(40)) does not read again")
            return
        }
        if again.description != decimal.description { failures.append("decimal \(decimal) reads again as \(again)") }
        if decimal.normalized != decimal { failures.append("normalized \(decimal.normalized) differs from \(decimal)") }
        if let int = number.int, ExactDecimal(int) != decimal { failures.append("int \(int) differs from \(decimal)") }
    }
}
