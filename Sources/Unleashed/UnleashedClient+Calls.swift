import Batch
import Foundation
import NIOHTTP1

extension UnleashedClient {
    // MARK: Sales orders

    /// One sales order by GUID; nil when Unleashed has none (404).
    public func salesOrder(guid: String) async throws(UnleashedError) -> SalesOrder? {
        let call = Call(method: .GET, path: "/SalesOrders/\(guid)", endpoint: "GET /SalesOrders/{guid}")
        do {
            return try order(try await perform(call), call)
        } catch {
            if case .refused(_, 404, _, _) = error { return nil }
            throw error
        }
    }

    /// Every sales order matching the filter, over every page.
    public func salesOrders(_ filter: SalesOrderFilter) async throws(UnleashedError) -> [SalesOrder] {
        var query: [(String, String)] = []
        if let v = filter.orderNumber { query.append(("orderNumber", v)) }
        if let v = filter.sourceID { query.append(("sourceId", v)) }
        if let v = filter.customerCode { query.append(("customerCode", v)) }
        if !filter.statuses.isEmpty { query.append(("orderStatus", filter.statuses.map(\.rawValue).joined(separator: ","))) }
        if let v = filter.modifiedSince { query.append(("modifiedSince", Self.queryDate(v))) }
        if let v = filter.warehouseCode { query.append(("warehouseCode", v)) }
        return try await pages("SalesOrders", query: query, pageSize: filter.pageSize).compactMap { SalesOrder(json: $0) }
    }

    /// Creates a sales order under the GUID the caller chose. After a failure whose outcome is
    /// unknown it asks Unleashed for the GUID before trying again, so the order is never created twice.
    public func createSalesOrder(guid: String, body: [UInt8]) async throws(UnleashedError) -> SalesOrder {
        let call = Call(method: .POST, path: "/SalesOrders/\(guid)", endpoint: "POST /SalesOrders/{guid}", body: body)
        let found: @Sendable () async throws(UnleashedError) -> Answer? = { [self] () async throws(UnleashedError) -> Answer? in
            try await self.salesOrder(guid: guid).map { Answer(status: 200, body: Array($0.json.serialized().utf8)) }
        }
        do {
            return try order(try await perform(call, settle: found), call)
        } catch {
            // A retry refused because the first attempt landed after all.
            if case .refused(_, 400, let description, _) = error, (description ?? "").contains("already exists"),
               let existing = try await salesOrder(guid: guid) {
                return existing
            }
            throw error
        }
    }

    /// Replaces a sales order (`PUT`, the whole order). After an unknown outcome the order is read
    /// back and returned when `landed` says the change shows.
    public func updateSalesOrder(guid: String, body: [UInt8], landed: @escaping @Sendable (SalesOrder) -> Bool) async throws(UnleashedError) -> SalesOrder {
        let call = Call(method: .PUT, path: "/SalesOrders/\(guid)", endpoint: "PUT /SalesOrders/{guid}", body: body)
        let check: @Sendable () async throws(UnleashedError) -> Answer? = { [self] () async throws(UnleashedError) -> Answer? in
            guard let order = try await self.salesOrder(guid: guid), landed(order) else { return nil }
            return Answer(status: 200, body: Array(order.json.serialized().utf8))
        }
        return try order(try await perform(call, settle: check), call)
    }

    /// Soft-deletes a sales order (status `Deleted`).
    public func deleteSalesOrder(guid: String) async throws(UnleashedError) -> SalesOrder {
        let call = Call(method: .DELETE, path: "/SalesOrders/\(guid)", endpoint: "DELETE /SalesOrders/{guid}")
        let check: @Sendable () async throws(UnleashedError) -> Answer? = { [self] () async throws(UnleashedError) -> Answer? in
            guard let order = try await self.salesOrder(guid: guid), order.status == .deleted else { return nil }
            return Answer(status: 200, body: Array(order.json.serialized().utf8))
        }
        return try order(try await perform(call, settle: check), call)
    }

    /// Completes a sales order.
    public func completeSalesOrder(guid: String) async throws(UnleashedError) -> SalesOrder {
        let call = Call(method: .POST, path: "/SalesOrders/\(guid)/Complete", endpoint: "POST /SalesOrders/{guid}/Complete")
        let check: @Sendable () async throws(UnleashedError) -> Answer? = { [self] () async throws(UnleashedError) -> Answer? in
            guard let order = try await self.salesOrder(guid: guid), order.status == .completed else { return nil }
            return Answer(status: 200, body: Array(order.json.serialized().utf8))
        }
        return try order(try await perform(call, settle: check), call)
    }

    // MARK: Customers, products, reference lists

    /// Customers (code starts with `codePrefix`; changed since `modifiedSince`), every page of 1,000.
    public func customers(codePrefix: String?, modifiedSince: Date?) async throws(UnleashedError) -> [UnleashedRecord] {
        var query: [(String, String)] = []
        if let codePrefix { query.append(("customerCode", codePrefix)) }
        if let modifiedSince { query.append(("modifiedSince", Self.queryDate(modifiedSince))) }
        return try await pages("Customers", query: query, pageSize: 1000).map(UnleashedRecord.init)
    }

    /// One customer by GUID; nil on 404.
    public func customer(guid: String) async throws(UnleashedError) -> UnleashedRecord? {
        let call = Call(method: .GET, path: "/Customers/\(guid)", endpoint: "GET /Customers/{guid}")
        do {
            return try record(try await perform(call), call)
        } catch {
            if case .refused(_, 404, _, _) = error { return nil }
            throw error
        }
    }

    /// Creates or updates a customer (`POST /Customers/{guid}`; safe to repeat).
    public func saveCustomer(guid: String, body: [UInt8]) async throws(UnleashedError) -> UnleashedRecord {
        let call = Call(method: .POST, path: "/Customers/\(guid)", endpoint: "POST /Customers/{guid}", body: body)
        return try record(try await perform(call, settle: { nil }), call)
    }

    /// Products (code starts with `codePrefix`; changed since `modifiedSince`), every page of 1,000.
    public func products(codePrefix: String?, modifiedSince: Date?) async throws(UnleashedError) -> [UnleashedRecord] {
        var query: [(String, String)] = []
        if let codePrefix { query.append(("productCode", codePrefix)) }
        if let modifiedSince { query.append(("modifiedSince", Self.queryDate(modifiedSince))) }
        return try await pages("Products", query: query, pageSize: 1000).map(UnleashedRecord.init)
    }

    /// Creates or updates a product (`POST /Products/{guid}`; safe to repeat).
    public func saveProduct(guid: String, body: [UInt8]) async throws(UnleashedError) -> UnleashedRecord {
        let call = Call(method: .POST, path: "/Products/\(guid)", endpoint: "POST /Products/{guid}", body: body)
        return try record(try await perform(call, settle: { nil }), call)
    }

    /// Every record of a reference list, pages of 1,000.
    public func list(_ resource: ReferenceResource, modifiedSince: Date?) async throws(UnleashedError) -> [UnleashedRecord] {
        var query: [(String, String)] = []
        if let modifiedSince { query.append(("modifiedSince", Self.queryDate(modifiedSince))) }
        return try await pages(resource.rawValue, query: query, pageSize: 1000).map(UnleashedRecord.init)
    }

    // MARK: Helpers

    /// Every item of a paged list: `GET /Name/{page}?pageSize=N&…` until the last page.
    func pages(_ name: String, query: [(String, String)], pageSize: Int) async throws(UnleashedError) -> [JSONValue] {
        var items: [JSONValue] = []
        var page = 1
        while true {
            let call = Call(method: .GET, path: "/\(name)/\(page)", endpoint: "GET /\(name)/{page}",
                            query: query + [("pageSize", String(pageSize))])
            let answer = try await perform(call)
            guard let json = answer.json, let list = json["Items"]?.arrayValue else {
                throw .badResponse(endpoint: call.endpoint, reason: "no Items list in the answer")
            }
            items += list
            let pages = json["Pagination"]?["NumberOfPages"]?.numberValue?.int ?? page
            if page >= pages || list.isEmpty { return items }
            page += 1
        }
    }

    func order(_ answer: Answer, _ call: Call) throws(UnleashedError) -> SalesOrder {
        guard let json = answer.json, let order = SalesOrder(json: json) else {
            throw .badResponse(endpoint: call.endpoint, reason: "not a sales order: \(answer.text.prefix(200))")
        }
        return order
    }

    func record(_ answer: Answer, _ call: Call) throws(UnleashedError) -> UnleashedRecord {
        guard let json = answer.json, json.objectValue != nil else {
            throw .badResponse(endpoint: call.endpoint, reason: "not a record: \(answer.text.prefix(200))")
        }
        return UnleashedRecord(json: json)
    }

    /// `2026-12-02T10:00:00` (UTC), as query filters take dates.
    static func queryDate(_ date: Date) -> String {
        DotNetDate.requestDate(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
