import Batch
import Foundation
import Ledger
import Pipeline
import Unleashed

/// What `omsync preview --against-unleashed` learns from Unleashed with read-only calls, once
/// before planning: the warehouses (for `warehouse_exists`), and the sales orders of the ledger
/// modified since our earliest recorded write (every status, `Deleted` included).
///
/// A sales order we pushed and Unleashed did not list was not modified since we wrote it, so it
/// is as we left it; one listed with another status or `LastModifiedOn` than recorded was
/// changed in Unleashed (`changed_in_unleashed`), as the push stage would find by fetching it.
/// Calls: 1 for the warehouses, plus one per 1,000 sales orders modified since then.
public struct UnleashedView: Sendable {
    /// Warehouse codes that exist in Unleashed.
    public let warehouses: Set<String>
    /// Listed sales orders of the ledger, by GUID.
    public let orders: [String: SalesOrder]
    /// The read-only calls made.
    public let calls: Int

    /// A view from parts (tests).
    public init(warehouses: Set<String>, orders: [String: SalesOrder], calls: Int) {
        self.warehouses = warehouses
        self.orders = orders
        self.calls = calls
    }

    /// Asks Unleashed (GET /Warehouses, GET /SalesOrders?modifiedSince=…).
    public static func load(client: UnleashedClient, snapshot: LedgerSnapshot?) async throws(UnleashedError) -> UnleashedView {
        let before = client.calls.total
        let warehouses = try await client.list(.warehouses, modifiedSince: nil)
        let codes = Set(warehouses.compactMap { $0["WarehouseCode"]?.stringValue })
        var orders: [String: SalesOrder] = [:]
        let live = snapshot?.rows.values.filter { $0.guid != nil && $0.unleashedModifiedOn != nil } ?? []
        if let earliest = live.compactMap(\.unleashedModifiedOn).min() {
            let guids = Set(live.compactMap(\.guid))
            let filter = SalesOrderFilter(statuses: SalesOrderStatus.allCases, modifiedSince: Date(timeIntervalSince1970: Double(earliest) / 1000),
                                          pageSize: 1000)
            for order in try await client.salesOrders(filter) where guids.contains(order.guid) {
                orders[order.guid] = order
            }
        }
        return UnleashedView(warehouses: codes, orders: orders, calls: client.calls.total - before)
    }
}
