import Batch
import Facts
import Foundation
import Ledger

extension OrderPusher {

    /// The customer's name in Ordermentum, for the mapping list.
    static func customerName(of record: BatchRecord) -> String? {
        let order = record.order
        for key in ["retailerName"] {
            if let i = order.member(order.root, JSONKey(key)), let text = order.string(i), !text.isEmpty { return text }
        }
        if let customer = record.customer, let i = customer.member(customer.root, JSONKey("name")),
           let text = customer.string(i), !text.isEmpty { return text }
        return nil
    }

    /// Records (or refreshes) the mapping of a customer found in Unleashed by its property code;
    /// a mapping set by hand is left alone.
    func rememberMapping(_ record: BatchRecord, code: String) async throws {
        guard let customerID = OrderIdentity.customerID(of: record) else { return }
        if let existing = try await context.ledger.customerMapping(customerID: customerID),
           existing.origin == .manual || existing.customerCode.caseInsensitiveCompare(code) == .orderedSame { return }
        try await saveMapping(record, code: code, guid: context.index.entry(.customers, code)?.guid, origin: .property)
    }

    /// Saves the mapping of the order's customer. A mapping set by hand stays set by hand: when
    /// omsync creates the customer it names (a code not yet in Unleashed), only its GUID is
    /// added; any other code found or created for the customer leaves it alone.
    func saveMapping(_ record: BatchRecord, code: String, guid: String?, origin: MappingOrigin) async throws {
        guard let customerID = OrderIdentity.customerID(of: record) else { return }
        if origin != .manual, let existing = try await context.ledger.customerMapping(customerID: customerID), existing.origin == .manual {
            guard existing.customerCode.caseInsensitiveCompare(code) == .orderedSame, let guid, existing.unleashedGuid != guid else { return }
            var updated = existing
            updated.unleashedGuid = guid
            updated.updatedAt = context.now()
            try await context.ledger.saveCustomerMapping(updated)
            return
        }
        try await context.ledger.saveCustomerMapping(CustomerMapping(
            customerID: customerID, customerName: Self.customerName(of: record), customerCode: code,
            unleashedGuid: guid, origin: origin, updatedAt: context.now()))
    }
}
