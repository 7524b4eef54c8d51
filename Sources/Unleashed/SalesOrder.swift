import Batch
import Foundation

/// A sales order as Unleashed returned it.
public struct SalesOrder: Sendable {
    /// The whole order.
    public var json: JSONValue

    /// An order from Unleashed's JSON; nil when it has no `Guid`.
    public init?(json: JSONValue) {
        guard json["Guid"]?.stringValue != nil else { return nil }
        self.json = json
    }

    public var guid: String { json["Guid"]?.stringValue ?? "" }
    public var orderNumber: String? { json["OrderNumber"]?.stringValue }
    public var statusText: String? { json["OrderStatus"]?.stringValue }
    public var status: SalesOrderStatus? { statusText.flatMap(SalesOrderStatus.init(matching:)) }
    /// `LastModifiedOn` in ms since the epoch.
    public var lastModifiedOn: Int64? { json["LastModifiedOn"]?.stringValue.flatMap(DotNetDate.parse) }
    public var customerCode: String? { json["Customer"]?["CustomerCode"]?.stringValue }
    public var warehouseCode: String? { json["Warehouse"]?["WarehouseCode"]?.stringValue }
    public var customerRef: String? { json["CustomerRef"]?.stringValue }

    /// Fields Unleashed keeps itself: never sent back.
    static let readOnly: Set<String> = ["CreatedOn", "CreatedBy", "LastModifiedOn", "LastModifiedBy", "CompletedDate"]
    /// Nested references, reduced to the members that name them.
    static let references: [String: [String]] = [
        "Customer": ["CustomerCode"], "Warehouse": ["WarehouseCode"], "Currency": ["CurrencyCode"],
        "Tax": ["TaxCode", "TaxRate"], "SalesPerson": ["Email"],
    ]

    /// The order as a whole-order `PUT` body with `changes` (dotted paths) applied: read-only
    /// fields dropped, `/Date(ms)/` dates as request dates, references as their codes.
    public func updateBody(applying changes: [(path: String, value: JSONValue)]) -> [UInt8] {
        var body = Self.requestForm(json.objectValue ?? JSONObject(), topLevel: true)
        for change in changes {
            body = Self.set(body, change.path.split(separator: ".").map(String.init), change.value)
        }
        return Array(JSONValue.object(body).serialized().utf8)
    }

    static func requestForm(_ object: JSONObject, topLevel: Bool) -> JSONObject {
        var result = JSONObject()
        for (key, value) in object {
            if topLevel, readOnly.contains(key) { continue }
            if topLevel, let keep = references[key], let nested = value.objectValue {
                result[key] = .object(JSONObject(keep.compactMap { k in nested[k].map { (k, $0) } }))
                continue
            }
            switch value {
            case .string(let text) where text.contains("Date("):
                if let ms = DotNetDate.parse(text) { result[key] = .string(DotNetDate.requestDate(milliseconds: ms)) }
            case .array(let items) where key == "SalesOrderLines":
                result[key] = .array(items.map { line in
                    var form = requestForm(line.objectValue ?? JSONObject(), topLevel: false)
                    if let product = line["Product"]?.objectValue {
                        form["Product"] = .object(JSONObject(product["ProductCode"].map { [("ProductCode", $0)] } ?? []))
                    }
                    return .object(form)
                })
            default:
                result[key] = value
            }
        }
        return result
    }

    static func set(_ object: JSONObject, _ path: [String], _ value: JSONValue) -> JSONObject {
        guard let key = path.first else { return object }
        var result = object
        if path.count == 1 {
            result[key] = value
        } else {
            result[key] = .object(set(result[key]?.objectValue ?? JSONObject(), Array(path.dropFirst()), value))
        }
        return result
    }
}

/// A customer, product or reference record as Unleashed returned it.
public struct UnleashedRecord: Sendable {
    public var json: JSONValue

    /// A record from its JSON.
    public init(json: JSONValue) {
        self.json = json
    }

    public var guid: String? { json["Guid"]?.stringValue }
    public subscript(key: String) -> JSONValue? { json[key] }
}

/// The paged reference lists.
public enum ReferenceResource: String, Sendable, CaseIterable {
    case warehouses = "Warehouses", taxes = "Taxes", currencies = "Currencies", salespersons = "Salespersons"
    case salesOrderGroups = "SalesOrderGroups", deliveryMethods = "DeliveryMethods"
}

/// The filters of `GET /SalesOrders`.
public struct SalesOrderFilter: Sendable {
    public var orderNumber: String?
    public var sourceID: String?
    public var customerCode: String?
    public var statuses: [SalesOrderStatus] = []
    public var modifiedSince: Date?
    public var warehouseCode: String?
    public var pageSize = 200

    /// No filter: every order but the Deleted ones.
    public init() {}
}
