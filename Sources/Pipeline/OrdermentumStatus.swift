/// Ordermentum's order statuses (ORDERMENTUM.md, "what Ordermentum data looks like"): the one
/// list omsync checks an order's `status` against (`W-UNKNOWN-STATUS`).
public enum OrdermentumStatus {
    /// Every `status` an Ordermentum order has.
    public static let known = ["Placed", "Paid", "Unpaid", "Unpaid (Overdue)", "Cancelled"]
}
