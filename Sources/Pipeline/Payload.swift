import Batch
import Rules

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
    /// `SalesOrderLines[0].Product.ProductCode` (parsed by `Rules.PayloadPath`). Nil when any
    /// part is missing or the path cannot be read.
    public func value(atPath path: String) -> JSONValue? {
        guard let components = PayloadPath.parse(path) else { return nil }
        var current: JSONValue? = self
        for component in components {
            switch component {
            case .key(let k): current = current?[k]
            case .index(let n): current = current?[n]
            }
        }
        return current
    }
}
