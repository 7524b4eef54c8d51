import Batch
import Rules

/// Which record a `Value.node` points into: the order's own record, or the customer record
/// joined from an export batch.
enum RecordSlot: UInt8, Sendable {
    case order = 0
    case customer = 1
}

/// A runtime value of the rule language.
///
/// Values read from the batch stay on the record's tape (`node`) until something needs them
/// decoded, so a field that copies `order.comment` into the payload never builds a `String`.
/// JSON null read from the batch becomes `.null`; JSON booleans become `.bool`.
enum Value: Sendable {
    case null
    /// `omit`: behaves as null, and leaves a field out of the payload.
    case omit
    case bool(Bool)
    case number(ExactDecimal)
    case text(String)
    /// A string, number, array or object on a record's tape.
    case node(RecordSlot, JSONIndex)
    /// A materialised JSON value (from `original.*` in supersede rules).
    case json(JSONValue)
    /// A list built by the engine (not from the batch).
    case list([Value])

    /// null or omit.
    var isNull: Bool {
        switch self {
        case .null, .omit: return true
        case .json(let v): return v.isNull
        default: return false
        }
    }

    /// True for a value on a record's tape.
    var isNode: Bool {
        if case .node = self { return true }
        return false
    }

    /// A value from a declared setting.
    init(_ setting: SettingValue) {
        switch setting {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .decimal(let d): self = .number(d)
        case .text(let s): self = .text(s)
        }
    }

    /// A value from a literal of the rule language.
    init(_ literal: Literal) {
        switch literal {
        case .null: self = .null
        case .omit: self = .omit
        case .bool(let b): self = .bool(b)
        case .number(let d): self = .number(d)
        case .text(let s): self = .text(s)
        }
    }

    /// A value from a materialised JSON value: scalars become native values.
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .string(let s): self = .text(s)
        case .number(let n):
            if let d = n.decimal { self = .number(d) } else { self = .json(json) }
        case .array, .object: self = .json(json)
        }
    }
}

/// The records an evaluation reads from: the order, and the joined customer when there is one.
struct RecordPair {
    let order: JSONRecord
    let customer: JSONRecord?

    init(order: JSONRecord, customer: JSONRecord?) {
        self.order = order
        self.customer = customer
    }

    func record(_ slot: RecordSlot) -> JSONRecord? {
        slot == .order ? order : customer
    }
}

extension Value {
    /// The kind of value, for messages ("cannot add text and bool").
    func kindName(_ records: RecordPair) -> String {
        switch self {
        case .null, .omit: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .text: return "text"
        case .list: return "list"
        case .json(let v):
            switch v {
            case .null: return "null"
            case .bool: return "bool"
            case .number: return "number"
            case .string: return "text"
            case .array: return "list"
            case .object: return "object"
            }
        case .node(let slot, let i):
            guard let record = records.record(slot) else { return "null" }
            switch record.kind(i) {
            case .null: return "null"
            case .bool: return "bool"
            case .number: return "number"
            case .string: return "text"
            case .array: return "list"
            case .object: return "object"
            }
        }
    }
}
