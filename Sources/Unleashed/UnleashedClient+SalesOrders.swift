import Batch
import NIOHTTP1

extension UnleashedClient {
    /// One sales order; nil when Unleashed has none with that GUID.
    public func salesOrder(guid: String) async throws(UnleashedError) -> SalesOrder? {
        guard let json = try await getRecord("/SalesOrders/\(guid)") else { return nil }
        guard let order = SalesOrder(json: json) else {
            throw .badResponse(endpoint: "GET /SalesOrders/{guid}", reason: "the order has no Guid")
        }
        return order
    }

    /// Every sales order the filter matches, every page.
    public func salesOrders(_ filter: SalesOrderFilter) async throws(UnleashedError) -> [SalesOrder] {
        let items = try await allPages("/SalesOrders", query: filter.parameters)
        var orders: [SalesOrder] = []
        for item in items {
            guard let order = SalesOrder(json: item) else {
                throw .badResponse(endpoint: "GET /SalesOrders", reason: "a listed order has no Guid")
            }
            orders.append(order)
        }
        return orders
    }

    /// Creates the order `guid` (`POST /SalesOrders/{guid}`; 200 and 201 are success).
    ///
    /// Idempotent: after a failure whose outcome is unknown (timeout, reset, dropped connection,
    /// 5xx) it asks `GET /SalesOrders/{guid}` before any retry and returns the order when the
    /// create landed. A POST answered 400 "… already exists" is answered the same way, on any
    /// attempt: the GUID is ours (chosen by omsync and reserved in the ledger before the first
    /// POST), so an order under it is this create's, landed earlier (a retry after a lost
    /// answer, or a resumed run whose earlier POST was still on its way when the run asked
    /// first). When no order has the GUID, the refusal is about something else (an order
    /// number already used) and stands.
    ///
    /// The GUID goes in the path and in the body (`Guid`, first), as Unleashed asks: a create
    /// whose body has none may be stored under a GUID of Unleashed's own, which the GET after a
    /// lost answer would then never find.
    public func createSalesOrder(guid: String, body: [UInt8]) async throws(UnleashedError) -> SalesOrder {
        let call = APICall(method: .POST, path: "/SalesOrders/\(guid)", body: Self.createBody(guid: guid, payload: body))
        let recover: @Sendable () async throws(UnleashedError) -> SalesOrder? = { [self] () async throws(UnleashedError) in
            try await salesOrder(guid: guid)
        }
        return try await perform(call, recover: recover) { answer, attempt, mayHaveLanded throws(UnleashedError) in
            if answer.status == 400, answer.unleashedDescription?.contains("already exists") == true,
               let existing = try await salesOrder(guid: guid) {
                return .done(existing)
            }
            return try standardVerdict(answer, call) { answer throws(UnleashedError) in try Self.order(answer, call) }
        }
    }

    /// Replaces the order `guid` with a whole-order body (`PUT /SalesOrders/{guid}`, see `SalesOrder.updateBody`).
    ///
    /// After a failure whose outcome is unknown it GETs the order and returns it when `landed(order)`
    /// says the update is there; otherwise it retries.
    public func updateSalesOrder(guid: String, body: [UInt8], landed: @escaping @Sendable (SalesOrder) -> Bool) async throws(UnleashedError) -> SalesOrder {
        try await write(APICall(method: .PUT, path: "/SalesOrders/\(guid)", body: body), guid: guid, landed: landed)
    }

    /// Soft-deletes the order (`DELETE /SalesOrders/{guid}`: status `Deleted`); after an unknown
    /// outcome an order found `Deleted` counts as done.
    public func deleteSalesOrder(guid: String) async throws(UnleashedError) -> SalesOrder {
        try await write(APICall(method: .DELETE, path: "/SalesOrders/\(guid)"), guid: guid) { $0.status == .deleted }
    }

    /// Completes the order (`POST /SalesOrders/{guid}/Complete`); after an unknown outcome an order
    /// found `Completed` counts as done.
    public func completeSalesOrder(guid: String) async throws(UnleashedError) -> SalesOrder {
        try await write(APICall(method: .POST, path: "/SalesOrders/\(guid)/Complete"), guid: guid) { $0.status == .completed }
    }

    /// A write to an existing order that, after an unknown outcome, is checked by GET before a retry.
    private func write(_ call: APICall, guid: String, landed: @escaping @Sendable (SalesOrder) -> Bool) async throws(UnleashedError) -> SalesOrder {
        let recover: @Sendable () async throws(UnleashedError) -> SalesOrder? = { [self] () async throws(UnleashedError) in
            guard let order = try await salesOrder(guid: guid), landed(order) else { return nil }
            return order
        }
        return try await perform(call, recover: recover) { answer, _, _ throws(UnleashedError) in
            try standardVerdict(answer, call) { answer throws(UnleashedError) in try Self.order(answer, call) }
        }
    }

    /// A 2xx body read as a sales order.
    static func order(_ answer: APIAnswer, _ call: APICall) throws(UnleashedError) -> SalesOrder {
        guard let order = SalesOrder(json: try json(answer, call)) else {
            throw .badResponse(endpoint: call.endpoint, reason: "the answer is not a sales order with a Guid: \(answer.text.prefix(200))")
        }
        return order
    }

    /// The body of the create of `payload` (a JSON object) under `guid`: `Guid` set to it, as the
    /// first member; anything else as it is (Unleashed refuses it, as it should).
    public static func createBody(guid: String, payload body: [UInt8]) -> [UInt8] {
        guard let parsed = try? JSONValue.parse(body), let object = parsed.objectValue else { return body }
        var pairs: [(String, JSONValue)] = [("Guid", .string(guid))]
        for (key, value) in object where key != "Guid" { pairs.append((key, value)) }
        return Array(JSONValue.object(JSONObject(pairs)).serialized().utf8)
    }
}
