import Batch

/// Who an order is: its Ordermentum id (the ledger's key) and its customer. The one place that
/// reads them from an order, for the import, the previews and serve alike.
public enum OrderIdentity {
    /// The order's Ordermentum `id`, nil when it has none (or it is not text or a number).
    public static func sourceID(of record: BatchRecord) -> String? {
        let order = record.order
        guard let i = order.member(order.root, JSONKey("id")) else { return nil }
        if let text = order.string(i), !text.isEmpty { return text }
        return order.number(i)?.text
    }

    /// The order's Ordermentum customer id: `purchaserId`, else `purchaser.id`, else the export's customer record's `id`.
    public static func customerID(of record: BatchRecord) -> String? {
        let order = record.order
        if let i = order.member(order.root, JSONKey("purchaserId")), let text = order.string(i), !text.isEmpty { return text }
        if let p = order.member(order.root, JSONKey("purchaser")), let i = order.member(p, JSONKey("id")),
           let text = order.string(i), !text.isEmpty { return text }
        if let customer = record.customer, let i = customer.member(customer.root, JSONKey("id")),
           let text = customer.string(i), !text.isEmpty { return text }
        return nil
    }
}
