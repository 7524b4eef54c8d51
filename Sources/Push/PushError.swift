import Ledger

/// What keeps an import from running at all (one order's problems are never this).
public enum PushError: Error, Sendable, CustomStringConvertible {
    /// A batch file cannot be read (exit 2).
    case unreadableBatch(path: String, reason: String)
    /// The ledger cannot be used, or another import holds it (exit 4).
    case ledger(LedgerError)
    /// Unleashed refused or could not serve the run's first calls (exit 4).
    case stopped(StopReason)

    public var description: String {
        switch self {
        case .unreadableBatch(let path, let reason):
            return "\(path): \(reason); nothing was imported"
        case .ledger(let error):
            return error.description
        case .stopped(let reason):
            return reason.description
        }
    }
}
