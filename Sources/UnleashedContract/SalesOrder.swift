import Batch

/// A sales order as Unleashed returned it: the whole JSON, and the fields the push stage reads.
public struct SalesOrder: Sendable, Hashable {
    /// The order exactly as answered (nested references, `/Date(ms)/` dates).
    public var json: JSONValue
    /// `Guid`.
    public var guid: String

    /// Reads an order answered by Unleashed; nil when it is not an object with a `Guid`.
    public init?(json: JSONValue) {
        guard let guid = json["Guid"]?.stringValue, !guid.isEmpty else { return nil }
        self.json = json
        self.guid = guid
    }

    /// `OrderNumber`.
    public var orderNumber: String? { json["OrderNumber"]?.stringValue }
    /// `OrderStatus` when it is one of the five known statuses.
    public var status: SalesOrderStatus? { statusText.flatMap(SalesOrderStatus.init(matching:)) }
    /// `OrderStatus` as answered (a custom status included).
    public var statusText: String? { json["OrderStatus"]?.stringValue }
    /// `LastModifiedOn` in milliseconds since the epoch.
    public var lastModifiedOn: Int64? { json["LastModifiedOn"]?.stringValue.flatMap(DotNetDate.parse) }
    /// `Customer.CustomerCode`.
    public var customerCode: String? { json["Customer"]?["CustomerCode"]?.stringValue }
    /// `Warehouse.WarehouseCode`.
    public var warehouseCode: String? { json["Warehouse"]?["WarehouseCode"]?.stringValue }
    /// `CustomerRef`.
    public var customerRef: String? { json["CustomerRef"]?.stringValue }
    /// `SourceId`.
    public var sourceID: String? { json["SourceId"]?.stringValue }
}
