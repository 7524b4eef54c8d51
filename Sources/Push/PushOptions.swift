import Foundation
import Ledger
import Synchronization

/// How an import runs.
public struct PushOptions: Sendable {
    /// Orders in flight at once (orders with the same Ordermentum id never overlap).
    public var concurrency = 4
    /// Our own monthly call budget (`--quota`): the run stops cleanly before exceeding it.
    public var quota: Int?
    /// Only these Ordermentum order ids (`omsync retry`); nil: every order.
    public var only: Set<String>?
    /// A lock whose holder's heartbeat is older than this (on another host) is taken over.
    public var staleLockAfter: TimeInterval = 120
    /// The import lock the caller already holds and keeps alive (`omsync watch`, for its whole
    /// life, with `PushStage.keepLock`): the run neither takes, refreshes nor releases it.
    public var heldLock: LockHolder?
    /// How often the lock's heartbeat is refreshed.
    public var heartbeatEvery: Duration = .seconds(15)
    /// The checkpoint and the call counters are saved after this many orders.
    public var checkpointEvery = 50
    /// The call counters are saved too once this many seconds have passed since they last were,
    /// so a killed run loses at most this long's calls from the month's count (`--quota`).
    public var saveCallsEvery: TimeInterval = 1
    /// The run stops after this many orders in a row found Unleashed unreachable.
    public var stopAfterUnreachable = 5
    public var now: @Sendable () -> Date = { Date() }
    public var pid: Int32 = ProcessInfo.processInfo.processIdentifier
    public var host: String = ProcessInfo.processInfo.hostName

    /// The defaults.
    public init() {}
}

/// Where a run stands, reported after every order.
public struct PushProgress: Sendable {
    /// Records handled (this run, including a resumed run's earlier part).
    public var done: Int
    /// Records in the batches.
    public var total: Int
    /// API calls this process made.
    public var calls: Int
    /// Orders rejected, blocked, failed or unreadable.
    public var problems: Int
    /// Seconds since the run started (this process).
    public var elapsed: TimeInterval
    /// Records handled by this process (for the rate).
    public var handledHere: Int
}

/// How a run ended.
public struct PushSummary: Sendable {
    public var runID: Int64
    /// The checkpoint a resumed run started from (nil: a new run).
    public var resumedFrom: Int?
    /// Records in the batches.
    public var total: Int
    /// Outcomes, over the whole run (a resumed run's earlier part included).
    public var counts: [PushOutcome: Int]
    /// API calls this process made, by endpoint.
    public var calls: [String: Int]
    /// Why the run stopped early, nil when it went through every record.
    public var stopped: StopReason?
    /// A stale lock taken over at the start.
    public var lockTakenOver: LockHolder?
    public var elapsed: TimeInterval
    /// Outcomes by batch, in the run's order, of the records this process handled (a resumed
    /// run's earlier part is in `counts` only): what `watch` writes beside each file.
    public var byBatch: [(path: String, counts: [PushOutcome: Int])] = []
    /// Orders this process wrote to Unleashed with warnings (each has a `warning` log row).
    public var warned = 0

    /// True when some order was rejected, blocked, failed or unreadable.
    public var hasProblems: Bool { counts.contains { $0.key.isProblem && $0.value > 0 } }
}

/// Asks a run to stop after the orders in flight (Ctrl-C).
///
/// A lock-free atomic, so that `request` may be called from a signal handler (no lock, no
/// allocation): Ctrl-C then stops the run however busy its threads and queues are.
public final class StopSignal: Sendable {
    private let requested = Atomic<Bool>(false)
    private let why = Mutex<StopReason?>(nil)

    /// A signal not yet given.
    public init() {}

    /// Asks the run to stop (async-signal-safe): Ctrl-C, SIGTERM.
    public func request() { requested.store(true, ordering: .sequentiallyConsistent) }

    /// Asks the run to stop for `reason` (not from a signal handler): the run ends with that
    /// reason rather than as interrupted, e.g. when the lock's heartbeat finds the lock lost.
    func request(because reason: StopReason) {
        why.withLock { if $0 == nil { $0 = reason } }
        request()
    }

    /// Why the run was asked to stop, when not by a signal.
    public var reason: StopReason? { why.withLock { $0 } }

    /// Whether a stop was asked for.
    public var isRequested: Bool { requested.load(ordering: .sequentiallyConsistent) }
}
