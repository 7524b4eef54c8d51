import Batch
import Pipeline

/// The references of a planned sales order that Unleashed lacks, found before any write.
///
/// Unleashed refuses an order that names a warehouse, tax code, currency, sales person, group,
/// delivery method or product it does not have; checking first saves the calls and says which
/// property the value came from (the plan's explanation), instead of Unleashed's bare refusal.
/// The customer is not checked here: the push stage creates it when it is missing.
struct ReferenceCheck {
    /// One reference Unleashed lacks.
    struct Missing: Sendable, Hashable {
        var kind: ReferenceIndex.Kind
        var value: String
        /// The payload path: `Warehouse.WarehouseCode`, `SalesOrderLines[2].Product.ProductCode`.
        var field: String
        /// The product exists but has `IsSellable: false`.
        var notSellable = false
    }

    let index: ReferenceIndex

    /// The header fields checked, with the kind each refers to.
    static let headerFields: [(path: String, kind: ReferenceIndex.Kind)] = [
        ("Warehouse.WarehouseCode", .warehouses), ("Tax.TaxCode", .taxes), ("Currency.CurrencyCode", .currencies),
        ("SalesPerson.Email", .salespersons), ("SalesOrderGroup", .salesOrderGroups), ("DeliveryMethod", .deliveryMethods),
    ]

    /// Every reference of `payload` that Unleashed lacks. `creatingProduct` is a product code
    /// this order creates first (its freight product), which counts as present.
    func missing(in payload: JSONValue, creatingProduct: String?) -> [Missing] {
        var result: [Missing] = []
        for (path, kind) in Self.headerFields {
            guard let value = payload.value(atPath: path)?.stringValue, !value.isEmpty else { continue }
            if !index.contains(kind, value) { result.append(Missing(kind: kind, value: value, field: path)) }
        }
        for (n, line) in (payload["SalesOrderLines"]?.arrayValue ?? []).enumerated() {
            if let code = line.value(atPath: "Product.ProductCode")?.stringValue, !code.isEmpty {
                let created = creatingProduct.map { $0.lowercased() == code.lowercased() } ?? false
                let entry = index.entry(.products, code)
                if !created, !(entry?.sellable ?? false) {
                    result.append(Missing(kind: .products, value: code, field: "SalesOrderLines[\(n)].Product.ProductCode",
                                          notSellable: entry != nil))
                }
            }
            if let code = line["LineTaxCode"]?.stringValue, !code.isEmpty, !index.contains(.taxes, code) {
                result.append(Missing(kind: .taxes, value: code, field: "SalesOrderLines[\(n)].LineTaxCode"))
            }
        }
        return result
    }

    /// What to tell the user about one missing reference: the value, the field, where the value
    /// came from (from the plan's explanation) and what to do.
    static func message(_ missing: Missing, explain: [ExplainEntry]?) -> String {
        let generic = missing.field.replacingOccurrences(of: #"\[\d+\]"#, with: "[]", options: .regularExpression)
        let source = explain?.first { $0.field == missing.field || $0.field == generic }
        var text = missing.notSellable
            ? "product '\(missing.value)' (\(missing.field)) is not sellable in Unleashed (IsSellable: false)"
            : "\(missing.kind.noun) '\(missing.value)' (\(missing.field)) does not exist in Unleashed"
        if let source {
            let from = source.sources.isEmpty ? source.expression : source.sources.joined(separator: "; ")
            text += "; it came from \(from)"
            if let rule = source.rule { text += " (rule at \(rule))" }
        }
        return text + "; add it in Unleashed, or correct the value in Ordermentum"
    }
}
