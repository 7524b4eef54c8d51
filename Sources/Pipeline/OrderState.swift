import Rules

/// What the ledger and Unleashed know about an order: the `state.*` facts of the rules.
///
/// A preview without a ledger plans every order as `neverPushed` (all facts false); the push
/// stage fills the facts from its ledger and from the sales order as it stands in Unleashed.
public struct OrderState: Sendable, Hashable {
    /// The facts that are true; every other fact is false.
    public var facts: Set<StateFact>

    /// A state from the facts that hold.
    public init(facts: Set<StateFact> = []) {
        self.facts = facts
    }

    /// A state from explicit true/false facts (as rule test cases give them).
    public init(_ facts: [StateFact: Bool]) {
        self.facts = Set(facts.filter { $0.value }.map(\.key))
    }

    /// Never pushed: every fact false.
    public static let neverPushed = OrderState()

    /// Whether `fact` holds.
    public subscript(_ fact: StateFact) -> Bool { facts.contains(fact) }
}

/// Reference data from Unleashed that rules may test (`warehouse_exists(code)`).
///
/// A preview has none unless given (`--warehouse CODE`): then no warehouse exists.
public struct ReferenceData: Sendable, Hashable {
    /// Warehouse codes that exist in the Unleashed account.
    public var warehouses: Set<String>

    /// Reference data from the warehouse codes that exist.
    public init(warehouses: Set<String> = []) {
        self.warehouses = warehouses
    }

    /// No reference data: no warehouse exists.
    public static let empty = ReferenceData()

    /// Whether a warehouse with this code exists; without case, as Unleashed matches codes
    /// (`om_delete` in the account is the `OM_DELETE` warehouse).
    public func warehouseExists(_ code: String) -> Bool {
        if warehouses.contains(code) { return true }
        let wanted = code.lowercased()
        return warehouses.contains { $0.lowercased() == wanted }
    }
}
