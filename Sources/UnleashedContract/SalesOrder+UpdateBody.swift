import Batch

extension SalesOrder {
    /// The nested references of an order and the members a write keeps of each.
    static let referenceKeys: [String: [String]] = [
        "Customer": ["CustomerCode"], "Warehouse": ["WarehouseCode"], "Currency": ["CurrencyCode"],
        "Tax": ["TaxCode", "TaxRate"], "SalesPerson": ["Email"],
    ]

    /// A whole-order `PUT /SalesOrders/{guid}` body made from this order as Unleashed returned it.
    ///
    /// Read-only fields are dropped (`UnleashedFieldCatalogue.readOnlySalesOrderFields`, on the
    /// header and on each line), `/Date(ms)/` dates become `YYYY-MM-DDTHH:MM:SS`, nested references
    /// are reduced to their codes (`Customer{CustomerCode}`, `Warehouse{WarehouseCode}`,
    /// `Currency{CurrencyCode}`, `Tax{TaxCode,TaxRate}`, `SalesPerson{Email}`, line `Product{ProductCode}`),
    /// then each change is applied at its dotted path (`Warehouse.WarehouseCode`, `CustomerRef`, …;
    /// a missing object on the way is created, a `null` value is sent as null).
    public func updateBody(applying changes: [(path: String, value: JSONValue)]) -> [UInt8] {
        var order = Self.writable(json.objectValue ?? JSONObject(), references: Self.referenceKeys)
        if let lines = order["SalesOrderLines"]?.arrayValue {
            order["SalesOrderLines"] = .array(lines.map { line in
                .object(Self.writable(line.objectValue ?? JSONObject(), references: ["Product": ["ProductCode"]]))
            })
        }
        var value = JSONValue.object(order)
        for change in changes {
            Self.set(&value, path: change.path.split(separator: ".").map(String.init)[...], to: change.value)
        }
        return Array(value.serialized().utf8)
    }

    /// An object without read-only members, dates in request form, references reduced to their keys.
    static func writable(_ object: JSONObject, references: [String: [String]]) -> JSONObject {
        var out = JSONObject()
        for (key, value) in object where !UnleashedFieldCatalogue.readOnlySalesOrderFields.contains(key) {
            if let keep = references[key] {
                guard let nested = value.objectValue else { out[key] = value; continue }
                var reduced = JSONObject()
                for name in keep { if let member = nested[name] { reduced[name] = member } }
                out[key] = .object(reduced)
            } else if case .string(let text) = value, text.contains("Date("), let ms = DotNetDate.parseDotNet(text) {
                out[key] = .string(DotNetDate.requestDate(milliseconds: ms))
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// Sets `path` inside `value`, creating objects on the way (a non-object on the way is replaced).
    static func set(_ value: inout JSONValue, path: ArraySlice<String>, to newValue: JSONValue) {
        guard let head = path.first else {
            value = newValue
            return
        }
        var object = value.objectValue ?? JSONObject()
        var child = object[head] ?? .object(JSONObject())
        set(&child, path: path.dropFirst(), to: newValue)
        object[head] = child
        value = .object(object)
    }
}
