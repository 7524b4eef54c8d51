import Batch

/// The Unleashed sales order a plan builds: cheap to build, written straight to a `JSONWriter`,
/// and converted to `JSONValue` when the push stage needs it.
///
/// Strings and numbers copied from the batch stay as their exact source JSON (`raw`), so they
/// are never decoded and re-encoded; objects keep their members in rule order.
public indirect enum Payload: Sendable {
    case null
    case bool(Bool)
    /// An exact decimal, written in plain notation keeping its scale (`28.7900`, `86.37`).
    case decimal(ExactDecimal)
    case text(String)
    /// Valid JSON copied byte for byte from the batch.
    case raw(ArraySlice<UInt8>)
    case json(JSONValue)
    case object([PayloadMember])
    case array([Payload])

    /// Writes the payload as compact JSON.
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let b): writer.bool(b)
        case .decimal(let d): writer.decimal(d)
        case .text(let s): writer.string(s)
        case .raw(let bytes): writer.raw(bytes)
        case .json(let v): writer.write(v)
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.key(member.key)
                member.value.write(to: &writer)
            }
            writer.endObject()
        case .array(let elements):
            writer.beginArray()
            for element in elements {
                element.write(to: &writer)
            }
            writer.endArray()
        }
    }

    /// The payload as a materialised JSON value (for the push stage and tests).
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .decimal(let d): return .number(JSONNumber(d))
        case .text(let s): return .string(s)
        case .raw(let bytes): return (try? JSONValue.parse(Array(bytes))) ?? .null
        case .json(let v): return v
        case .object(let members):
            return .object(JSONObject(members.map { ($0.key, $0.value.jsonValue) }))
        case .array(let elements):
            return .array(elements.map(\.jsonValue))
        }
    }

    /// The member named `key` when this is an object.
    public subscript(key: String) -> Payload? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The members when this is an object, else empty.
    public var members: [PayloadMember] {
        if case .object(let members) = self { return members }
        return []
    }
}

/// One member of a payload object.
public struct PayloadMember: Sendable {
    public var key: String
    public var value: Payload
    /// A member from its key and value.
    public init(key: String, value: Payload) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// The value at a dotted path with indexes, as rule tests write them:
    /// `SalesOrderLines[0].Product.ProductCode`. Nil when any part is missing.
    public func value(atPath path: String) -> JSONValue? {
        var current: JSONValue? = self
        for component in PayloadPath.components(path) {
            switch component {
            case .key(let k): current = current?[k]
            case .index(let n): current = current?[n]
            }
        }
        return current
    }
}

/// Parsing of payload paths (`SalesOrderLines[0].Product.ProductCode`).
public enum PayloadPath {
    /// One step of a payload path.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The steps of a dotted path with `[n]` indexes.
    public static func components(_ path: String) -> [Component] {
        var result: [Component] = []
        var name = ""
        var index: String? = nil
        for ch in path {
            if var digits = index {
                if ch == "]" {
                    if let n = Int(digits) { result.append(.index(n)) }
                    index = nil
                } else {
                    digits.append(ch)
                    index = digits
                }
                continue
            }
            switch ch {
            case ".":
                if !name.isEmpty { result.append(.key(name)) }
                name = ""
            case "[":
                if !name.isEmpty { result.append(.key(name)) }
                name = ""
                index = ""
            default:
                name.append(ch)
            }
        }
        if !name.isEmpty { result.append(.key(name)) }
        return result
    }
}
