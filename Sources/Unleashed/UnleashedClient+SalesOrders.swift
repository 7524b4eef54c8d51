import Batch
import NIOHTTP1

extension UnleashedClient {
    /// One sales order; nil when Unleashed has none with that GUID.
    /// An answer naming another GUID is `.badResponse` (never taken for the order asked for).
    public func salesOrder(guid: String) async throws(UnleashedError) -> SalesOrder? {
        guard let json = try await getRecord("/SalesOrders/\(guid)") else { return nil }
        guard let order = SalesOrder(json: json) else {
            throw .badResponse(endpoint: "GET /SalesOrders/{guid}", reason: "the order has no Guid")
        }
        return try verified(order, guid: guid, orderNumber: nil, endpoint: "GET /SalesOrders/{guid}")
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
    ///
    /// The answer is checked to be the order sent: its `Guid` is `guid` and, when the body has an
    /// `OrderNumber`, its order number is that one. An answer naming another order (a proxy or
    /// server rewrote it) is never recorded: the client warns, naming both, and asks
    /// `GET /SalesOrders/{guid}`; the order found there (checked the same way) is the answer,
    /// else the call ends `.badResponse`, an unknown outcome its owner settles by that GET later.
    public func createSalesOrder(guid: String, body: [UInt8]) async throws(UnleashedError) -> SalesOrder {
        let call = APICall(method: .POST, path: "/SalesOrders/\(guid)", body: Self.createBody(guid: guid, payload: body))
        let number = ((try? JSONValue.parse(body))?["OrderNumber"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 }
        let ours: @Sendable () async throws(UnleashedError) -> SalesOrder? = { [self] () async throws(UnleashedError) in
            guard let order = try await salesOrder(guid: guid) else { return nil }
            return try verified(order, guid: guid, orderNumber: number, endpoint: "GET /SalesOrders/{guid}")
        }
        return try await perform(call, recover: ours) { answer, attempt, mayHaveLanded throws(UnleashedError) in
            if answer.status == 400, answer.unleashedDescription?.contains("already exists") == true,
               let existing = try await ours() {
                return .done(existing)
            }
            let verdict = try standardVerdict(answer, call) { answer throws(UnleashedError) in try Self.order(answer, call) }
            guard case .done(let answered) = verdict else { return verdict }
            do throws(UnleashedError) { return .done(try verified(answered, guid: guid, orderNumber: number, endpoint: call.endpoint)) } catch {
                // Not the order sent: whether ours landed is unknown; Unleashed is asked for our GUID.
                guard let found = try await ours() else { throw error }
                return .done(found)
            }
        }
    }

    /// `order` when it is the one meant (its GUID is `guid`, its order number `orderNumber` when
    /// given); else a warning naming both and `.badResponse`.
    func verified(_ order: SalesOrder, guid: String, orderNumber: String?, endpoint: String) throws(UnleashedError) -> SalesOrder {
        var wrong: String?
        if order.guid.lowercased() != guid.lowercased() {
            wrong = "the answer is the order \(order.guid), not \(guid), the order omsync sent or asked for"
        } else if let orderNumber, order.orderNumber != orderNumber {
            wrong = "the answer for \(guid) has the order number \(order.orderNumber.map { "'\($0)'" } ?? "none"), not '\(orderNumber)', the one omsync sent"
        }
        guard let wrong else { return order }
        configuration.logger.warning("unleashed answer is not the order sent", metadata: [
            "endpoint": "\(endpoint)", "host": "\(address.base)", "sent_guid": "\(guid)", "answered_guid": "\(order.guid)",
            "sent_order_number": "\(orderNumber ?? "")", "answered_order_number": "\(order.orderNumber ?? "")",
        ])
        throw .badResponse(endpoint: endpoint, reason: "\(wrong) (a proxy or server rewrote it?); it is not recorded, and whether "
            + "the order was created is unknown until Unleashed is asked for \(guid)")
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
        return try await perform(call, recover: recover) { [self] answer, _, _ throws(UnleashedError) in
            try standardVerdict(answer, call) { answer throws(UnleashedError) in
                try verified(try Self.order(answer, call), guid: guid, orderNumber: nil, endpoint: call.endpoint)
            }
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
