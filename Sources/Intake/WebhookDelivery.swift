import Batch
import Crypto

/// One order of a delivery: its bytes exactly as received (an `event` member Ordermentum adds to
/// the order object stays in them; the import ignores members it does not know) and its
/// de-duplication key.
struct WebhookOrder: Sendable {
    /// The order object's source bytes.
    let bytes: ArraySlice<UInt8>
    /// Its Ordermentum `id` (text, or a number's text).
    let id: String
    /// 64 hex digits: SHA-256 of (id, `updatedAt`), or of the order's bytes when it has no
    /// usable `updatedAt` (a string or a number).
    let key: String
}

/// Why a delivery body is refused (400): short, for the answer and the `.reason.txt`.
struct WebhookRefusal: Error, Sendable {
    let reason: String
}

/// Reads a delivery body with the project's JSON core (`JSONRecord`), in one of the forms
/// Ordermentum sends: the order object itself (with an `event` member added), `{"event": …,
/// "data": order}`, or `{"data": [orders]}`. An order is an object whose `id` is a non-empty
/// string or a number. Anything else is refused whole.
enum WebhookDelivery {
    static let idKey = JSONKey("id")
    static let dataKey = JSONKey("data")
    static let updatedAtKey = JSONKey("updatedAt")

    static let forms = "an order object, {\"event\": …, \"data\": order} or {\"data\": [orders]}"

    /// The orders of `body`, in delivery order.
    static func orders(in body: [UInt8]) throws(WebhookRefusal) -> [WebhookOrder] {
        guard !body.isEmpty else { throw WebhookRefusal(reason: "the body is empty; expected \(forms)") }
        let record: JSONRecord
        // The import's limits (depth, string and number sizes), with room for the whole body.
        var limits = JSONLimits.default
        limits.maxRecordBytes = max(limits.maxRecordBytes, body.count)
        do { record = try JSONRecord(parsing: body, limits: limits) } catch {
            throw WebhookRefusal(reason: "\(error.isLimit ? "over a limit" : "not JSON"): \(error.description)")
        }
        let root = record.root
        guard record.kind(root) == .object else {
            throw WebhookRefusal(reason: "the body is \(describe(record.kind(root))), not \(forms)")
        }
        if record.member(root, idKey) != nil { return [try order(record, root, what: "the order")] }
        guard let data = record.member(root, dataKey) else {
            throw WebhookRefusal(reason: "not an order: the object has no \"id\" and no \"data\"; expected \(forms)")
        }
        switch record.kind(data) {
        case .object:
            return [try order(record, data, what: "\"data\"")]
        case .array:
            let elements = record.elements(data)
            guard !elements.isEmpty else { throw WebhookRefusal(reason: "\"data\" is an empty list: no orders in the delivery") }
            var orders: [WebhookOrder] = []
            for (n, element) in elements.enumerated() { orders.append(try order(record, element, what: "\"data\"[\(n)]")) }
            return orders
        default:
            throw WebhookRefusal(reason: "\"data\" is \(describe(record.kind(data))), not an order object or a list of orders")
        }
    }

    /// The order at `i`, or a refusal naming `what` is wrong with it.
    static func order(_ record: JSONRecord, _ i: JSONIndex, what: String) throws(WebhookRefusal) -> WebhookOrder {
        guard record.kind(i) == .object else {
            throw WebhookRefusal(reason: "\(what) is \(describe(record.kind(i))), not an order object")
        }
        guard let idIndex = record.member(i, idKey) else { throw WebhookRefusal(reason: "not an order: \(what) has no \"id\"") }
        let id: String
        if let text = record.string(idIndex), !text.isEmpty {
            id = text
        } else if let number = record.number(idIndex) {
            id = number.text
        } else {
            throw WebhookRefusal(reason: "not an order: the \"id\" of \(what) is \(describe(record.kind(idIndex))), not a non-empty string or a number")
        }
        let bytes = record.rawJSON(i)
        let updatedAt = record.member(i, updatedAtKey).flatMap { u -> String? in
            if let text = record.string(u), !text.isEmpty { return text }
            return record.number(u)?.text
        }
        var material: [UInt8]
        if let updatedAt {
            material = Array("u\(id.utf8.count):".utf8) + Array(id.utf8) + Array(updatedAt.utf8)
        } else {
            material = [UInt8(ascii: "b")]
            material += bytes
        }
        return WebhookOrder(bytes: bytes, id: id, key: hex(SHA256.hash(data: material)))
    }

    /// Lower-case hex digits of `bytes`.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for b in bytes { text += [digits[Int(b >> 4)], digits[Int(b & 0xF)]] }
        return String(decoding: text, as: UTF8.self)
    }

    static func describe(_ kind: JSONKind) -> String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
