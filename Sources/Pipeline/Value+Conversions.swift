import Batch
import Rules

extension Value {
    /// Truthiness: null, false, "", 0, an empty list and an empty object are false.
    func isTruthy(_ records: RecordPair) -> Bool {
        switch self {
        case .null, .omit: return false
        case .bool(let b): return b
        case .number(let d): return !d.isZero
        case .text(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .json(let v):
            return Value.jsonTruthy(v)
        case .node(let slot, let i):
            guard let record = records.record(slot) else { return false }
            switch record.kind(i) {
            case .null: return false
            case .bool: return record.bool(i) ?? false
            case .number: return !(record.decimal(i)?.isZero ?? false)
            case .string: return !record.rawJSON(i).elementsEqual([0x22, 0x22])
            case .array, .object: return record.count(i) > 0
            }
        }
    }

    static func jsonTruthy(_ v: JSONValue) -> Bool {
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .number(let n): return !(n.decimal?.isZero ?? false)
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return o.count > 0
        }
    }

    /// The value as text when it is text (a string), nil otherwise.
    func textValue(_ records: RecordPair) -> String? {
        switch self {
        case .text(let s): return s
        case .node(let slot, let i): return records.record(slot)?.string(i)
        case .json(let v): return v.stringValue
        default: return nil
        }
    }

    /// True when the value is text (a literal or a batch string).
    func isText(_ records: RecordPair) -> Bool {
        switch self {
        case .text: return true
        case .node(let slot, let i): return records.record(slot)?.kind(i) == .string
        case .json(let v): return v.stringValue != nil
        default: return false
        }
    }

    /// The value as a number when it is a number (not text), nil otherwise.
    func numberValue(_ records: RecordPair) -> ExactDecimal? {
        switch self {
        case .number(let d): return d
        case .node(let slot, let i):
            guard let record = records.record(slot), record.kind(i) == .number else { return nil }
            return record.decimal(i)
        case .json(let v): return v.numberValue?.decimal
        default: return nil
        }
    }

    /// `decimal(x)`: a number, or text holding a decimal ("28.7900"); nil otherwise.
    func decimalValue(_ records: RecordPair) -> ExactDecimal? {
        switch self {
        case .number(let d): return d
        case .text(let s): return ExactDecimal(s.trimmingSpaces)
        case .node(let slot, let i): return records.record(slot)?.decimal(i)
        case .json(let v):
            if let n = v.numberValue { return n.decimal }
            if let s = v.stringValue { return ExactDecimal(s.trimmingSpaces) }
            return nil
        default: return nil
        }
    }

    /// `text(x)`: the value as text, numbers in exact plain notation; nil for null, lists and objects.
    func displayText(_ records: RecordPair) -> String? {
        switch self {
        case .null, .omit, .list: return nil
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return d.description
        case .text(let s): return s
        case .json(let v):
            switch v {
            case .bool(let b): return b ? "true" : "false"
            case .number(let n): return n.decimal?.description ?? n.text
            case .string(let s): return s
            default: return nil
            }
        case .node(let slot, let i):
            guard let record = records.record(slot) else { return nil }
            switch record.kind(i) {
            case .string: return record.string(i)
            case .number: return record.decimal(i)?.description ?? record.number(i)?.text
            case .bool: return (record.bool(i) ?? false) ? "true" : "false"
            default: return nil
            }
        }
    }

    /// The value as a list of values, nil when it is not a list.
    func listValue(_ records: RecordPair) -> [Value]? {
        switch self {
        case .list(let l): return l
        case .json(let v): return v.arrayValue.map { $0.map { Value(json: $0) } }
        case .node(let slot, let i):
            guard let record = records.record(slot), record.kind(i) == .array else { return nil }
            return record.elements(i).map { Value.read(record, slot, $0) }
        default: return nil
        }
    }

    /// The value materialised as JSON (for equality of lists and objects, and for payloads).
    func jsonValue(_ records: RecordPair) -> JSONValue {
        switch self {
        case .null, .omit: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return .number(JSONNumber(d))
        case .text(let s): return .string(s)
        case .json(let v): return v
        case .list(let l): return .array(l.map { $0.jsonValue(records) })
        case .node(let slot, let i): return records.record(slot)?.value(i) ?? .null
        }
    }

    /// Reads a tape value: JSON null → `.null`, booleans → `.bool`, the rest stays on the tape.
    static func read(_ record: JSONRecord, _ slot: RecordSlot, _ i: JSONIndex) -> Value {
        switch record.kind(i) {
        case .null: return .null
        case .bool: return .bool(record.bool(i) ?? false)
        default: return .node(slot, i)
        }
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
