import Batch
import Foundation
import Ledger
import Pipeline

/// The customer mappings set by hand (`omsync customers set`, the serve page), applied to an
/// order the same way by an import and by a ledger-aware preview, so the preview shows what the
/// import will do.
public struct ManualMappings: Sendable {
    /// The mappings set by hand, by Ordermentum customer id.
    public let byCustomer: [String: CustomerMapping]

    public static let none = ManualMappings(byCustomer: [:])

    public init(byCustomer: [String: CustomerMapping]) {
        self.byCustomer = byCustomer
    }

    /// The mappings set by hand in `ledger`.
    public static func load(from ledger: any Ledger) async throws -> ManualMappings {
        let manual = try await ledger.customerMappings().filter { $0.origin == .manual }
        return ManualMappings(byCustomer: Dictionary(manual.map { ($0.customerID, $0) }, uniquingKeysWith: { _, last in last }))
    }

    /// `record` with its customer's mapping applied: the code becomes the customer's own property
    /// value (on the export customer's record, else on `purchaser.properties.<tag>`: the record
    /// the pipeline reads as the customer), so the rules' precedence still holds (a code on the
    /// order itself wins). `tag` is the property that fills `Customer.CustomerCode`
    /// (`CompiledPipeline.customerCodeTag`). The record as it is when its customer has no mapping
    /// set by hand, or the rules no such property.
    public func apply(to record: BatchRecord, tag: String?) throws -> BatchRecord {
        guard !byCustomer.isEmpty, let tag, let customerID = OrderIdentity.customerID(of: record),
              let mapping = byCustomer[customerID] else { return record }
        var result = record
        var order = record.order.value(record.order.root)
        if let customer = record.customer {
            let changed = customer.value(customer.root).setting(["properties", tag], to: .string(mapping.customerCode))
            result.customer = try JSONRecord(parsing: Array(changed.serialized().utf8))
        } else if let purchaser = order["purchaser"], purchaser.objectValue.map({ !$0.isEmpty }) ?? false {
            order = order.setting(["purchaser", "properties", tag], to: .string(mapping.customerCode))
            result.order = try JSONRecord(parsing: Array(order.serialized().utf8))
        }
        return result
    }
}

extension JSONValue {
    /// This value with the member at `path` (object keys) set to `value`, creating objects on the way.
    func setting(_ path: [String], to value: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var object = objectValue ?? JSONObject()
        let child = object[key] ?? .object(JSONObject())
        object[key] = child.setting(Array(path.dropFirst()), to: value)
        return .object(object)
    }
}
