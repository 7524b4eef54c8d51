import Ledger
import Pipeline
import Rules

/// What a plan's facts come from when nobody is asked while planning (preview, serve,
/// `import --dry-run`). The import asks the ledger row by row and fetches originals instead
/// (`FactFinder.plan(_:row:fetch:)`); both end in the same `FactFinder`.
public enum FactSource: Sendable {
    /// The same facts for every order (`--assume`; no ledger: every order is new).
    case assumed(Set<StateFact>)
    /// Each order's facts from the ledger's rows, and its customer mappings set by hand.
    case ledger(LedgerSnapshot)
    /// What Unleashed listed (warehouses, pushed orders modified there), with the ledger's facts
    /// when there is a ledger, else the assumed ones.
    case unleashed(UnleashedView, ledger: LedgerSnapshot?, assumed: Set<StateFact>)

    /// The ledger's rows, when the ledger is a source.
    public var snapshot: LedgerSnapshot? {
        switch self {
        case .assumed: return nil
        case .ledger(let snapshot): return snapshot
        case .unleashed(_, let snapshot, _): return snapshot
        }
    }

    /// The facts assumed for every order when no ledger says otherwise.
    public var assumed: Set<StateFact> {
        switch self {
        case .assumed(let facts): return facts
        case .unleashed(_, let snapshot, let facts): return snapshot == nil ? facts : []
        case .ledger: return []
        }
    }

    /// The customer mappings set by hand (none without a ledger).
    public var manual: ManualMappings { snapshot?.manual ?? .none }

    /// The warehouses Unleashed listed (none unless asked).
    public var warehouses: Set<String> {
        if case .unleashed(let view, ledger: _, assumed: _) = self { return view.warehouses }
        return []
    }
}
