import Foundation

/// The query of `GET /SalesOrders`: `orderNumber` and `sourceID` override every other filter (as in Unleashed).
public struct SalesOrderFilter: Sendable, Hashable {
    /// Exact order number.
    public var orderNumber: String?
    /// Exact `SourceId`.
    public var sourceID: String?
    /// Customer code, starts-with.
    public var customerCode: String?
    /// Statuses to list; empty: Unleashed's default (every status but `Deleted`).
    public var statuses: [SalesOrderStatus]
    /// Only orders modified at or after this moment (sent as UTC).
    public var modifiedSince: Date?
    /// Exact warehouse code.
    public var warehouseCode: String?
    /// Orders per page, 1...1000.
    public var pageSize: Int

    /// A filter; with no arguments, every order not deleted, 200 a page.
    public init(orderNumber: String? = nil, sourceID: String? = nil, customerCode: String? = nil,
                statuses: [SalesOrderStatus] = [], modifiedSince: Date? = nil, warehouseCode: String? = nil,
                pageSize: Int = 200) {
        self.orderNumber = orderNumber
        self.sourceID = sourceID
        self.customerCode = customerCode
        self.statuses = statuses
        self.modifiedSince = modifiedSince
        self.warehouseCode = warehouseCode
        self.pageSize = pageSize
    }

    /// The query parameters, in the order they are sent and signed.
    var parameters: [(name: String, value: String)] {
        var query: [(name: String, value: String)] = []
        if let orderNumber { query.append(("orderNumber", orderNumber)) }
        if let sourceID { query.append(("sourceId", sourceID)) }
        if let customerCode { query.append(("customerCode", customerCode)) }
        if !statuses.isEmpty { query.append(("orderStatus", statuses.map(\.rawValue).joined(separator: ","))) }
        if let modifiedSince { query.append(("modifiedSince", UnleashedClient.queryDate(modifiedSince))) }
        if let warehouseCode { query.append(("warehouseCode", warehouseCode)) }
        query.append(("pageSize", String(pageSize)))
        return query
    }
}
