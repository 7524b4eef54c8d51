import Batch

/// The Unleashed sales order a plan builds, held as its compact JSON bytes: built straight
/// into bytes while the order is planned (strings and numbers copied from the batch as their
/// source bytes, keys pre-encoded), written to a `JSONWriter` as it is, and parsed into a
/// `JSONValue` when the push stage (or a test) needs the structure.
public struct Payload: Sendable {
    /// The sales order as compact JSON (an object, members in rule order).
    public var bytes: [UInt8]

    /// A payload from compact JSON bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Writes the payload JSON.
    public func write(to writer: inout JSONWriter) {
        writer.raw(bytes)
    }

    /// The payload as a materialised JSON value.
    public var jsonValue: JSONValue {
        (try? JSONValue.parse(bytes)) ?? .null
    }

    /// The JSON text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
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
