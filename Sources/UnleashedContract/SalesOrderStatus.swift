import Foundation
/// The statuses of an Unleashed sales order, and which of them may be created or modified.
///
/// The one owner of Unleashed's status rules: the sandbox, the pipeline and the push stage all
/// ask this type. Which statuses may be modified is not documented by Unleashed (assumed, as
/// `../shared/docs/UNLEASHED.md` says): `Parked`, `Placed` and `Backordered` can be updated and
/// deleted; `Completed` and `Deleted` cannot.
public enum SalesOrderStatus: String, Sendable, Hashable, CaseIterable {
    case parked = "Parked"
    case placed = "Placed"
    case backordered = "Backordered"
    case completed = "Completed"
    case deleted = "Deleted"

    /// The statuses a new sales order may be created with.
    public static let creatable: [SalesOrderStatus] = [.parked, .placed, .backordered, .completed]

    /// Whether an order in this status may be updated, deleted or completed.
    public var isModifiable: Bool {
        switch self {
        case .parked, .placed, .backordered: return true
        case .completed, .deleted: return false
        }
    }

    /// The status named `text`, matched without regard to case (as Unleashed's SQL collation does).
    public init?(matching text: String) {
        guard let status = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) else {
            return nil
        }
        self = status
    }

    /// Unleashed's answer to a write on an order that may not be modified (HTTP 400 Description),
    /// and the message omsync logs when it stops syncing an order changed in Unleashed.
    public static let notModifiableMessage = "Existing Order not in valid Status for Modification"
}
