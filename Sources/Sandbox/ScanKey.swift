import Batch

/// What a list scan compares for one record. Only plain integers, so scanning copies no references.
///
/// Strings are numbers from the table's interners. `startsWith` is the field the "starts with"
/// filter applies to (an order's `Customer.CustomerCode`, a customer's `CustomerCode`, a product's
/// `ProductCode`). `equals` is the exact-match field (an order's `Warehouse.WarehouseCode`, a
/// customer's `Email`).
struct ScanKey: Sendable {
    var status: Int32
    var startsWith: Int32
    var equals: Int32
    /// `OrderDate` in ms, or `Int64.min` when the record has none.
    var orderDateMs: Int64
    var modifiedMs: Int64

    /// The texts of `body` that feed `status`, `startsWith` and `equals`.
    static func texts(of body: JSONObject, resource: Resource) -> (status: String, startsWith: String, equals: String) {
        let status = body["OrderStatus"]?.stringValue ?? ""
        switch resource {
        case .salesOrders:
            return (status, body["Customer"]?["CustomerCode"]?.stringValue ?? "", body["Warehouse"]?["WarehouseCode"]?.stringValue ?? "")
        case .customers:
            return (status, body["CustomerCode"]?.stringValue ?? "", body["Email"]?.stringValue ?? "")
        default:
            return (status, body[resource.codeField]?.stringValue ?? "", "")
        }
    }
}
