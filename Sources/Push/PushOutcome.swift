import Foundation

/// How one order of a run ended.
public enum PushOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    /// A new sales order was created.
    case created
    /// The original was taken out of the way and the edited order created.
    case replaced
    /// The original was taken out of the way (cancelled or deleted in Ordermentum).
    case superseded
    /// Nothing to do (unchanged, or cancelled with nothing live in Unleashed).
    case skipped
    /// Changed in Unleashed by someone: not touched, logged.
    case blocked
    /// The order is invalid, or Unleashed refused it: the reason is in the log.
    case rejected
    /// Unleashed could not be reached for it (after retries): `omsync retry` pushes it again.
    case failed
    /// A record of the batch that could not be read.
    case unreadable

    /// True for the outcomes that make an import exit 1.
    public var isProblem: Bool { self == .blocked || self == .rejected || self == .failed || self == .unreadable }
}

/// Why a run stopped before the end of its batches.
public enum StopReason: Sendable, Hashable, CustomStringConvertible {
    /// Ctrl-C (or SIGTERM): the calls in flight finished, the checkpoint was saved.
    case interrupted
    /// Our own `--quota` would be exceeded by the next call.
    case budget(used: Int, limit: Int, resetsAt: Date)
    /// Unleashed refuses every call until its monthly quota resets.
    case quota(message: String, resetsAt: Date?)
    /// Unleashed refused the credentials.
    case authentication(message: String)
    /// Unleashed could not be reached for several orders in a row.
    case unreachable(message: String)
    /// The ledger cannot record the run: its server refused or stopped answering, or the
    /// import lock was lost. Nothing more can be kept safely, so the run stops, resumably.
    case ledger(message: String)

    /// Whether the run failed (exit 4) rather than being stopped on purpose.
    public var isFailure: Bool {
        if case .interrupted = self { return false }
        return true
    }

    public var description: String {
        let iso = ISO8601DateFormatter()
        switch self {
        case .interrupted:
            return "interrupted: the orders in flight finished and the checkpoint was saved; run the same import again to resume"
        case .budget(let used, let limit, let resetsAt):
            return "stopped before exceeding --quota \(limit): \(used) calls used this month; the month resets at \(iso.string(from: resetsAt)); run the same import again then (or with a higher --quota) to resume"
        case .quota(let message, let resetsAt):
            let when = resetsAt.map { " It resets at \(iso.string(from: $0))." } ?? ""
            return "Unleashed's monthly API quota is used up: \(message).\(when) Run the same import again then to resume"
        case .authentication(let message):
            return "Unleashed refused the credentials (\(message)); check UNLEASHED_API_ID / UNLEASHED_API_KEY or run `omsync connect`"
        case .unreachable(let message):
            return "Unleashed could not be reached (\(message)); check UNLEASHED_API_URL and the network, then run the same import again to resume"
        case .ledger(let message):
            return "stopped on the ledger: \(message); run the same import again to resume"
        }
    }
}
