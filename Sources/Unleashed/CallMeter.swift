import Foundation
import Synchronization

/// Counts every call the client sends, by endpoint template (`POST /SalesOrders/{guid}`,
/// `GET /SalesOrders`, `GET /SalesOrders/{page}`…: the keys the sandbox's `/_sandbox/calls` reports),
/// retries included. Shared by every concurrent caller; also enforces our own budget.
public final class CallMeter: Sendable {
    private struct Counts {
        var counts: [String: Int] = [:]
        var sinceDrain: [String: Int] = [:]
        var sent = 0
    }

    private let state = Mutex(Counts())

    /// An empty meter.
    public init() {}

    /// Calls per endpoint since the client started.
    public func snapshot() -> [String: Int] {
        state.withLock { $0.counts }
    }

    /// Calls sent since the client started.
    public var total: Int {
        state.withLock { $0.sent }
    }

    /// Calls per endpoint since the last drain (for the ledger's per-month counters); resets them.
    public func drain() -> [String: Int] {
        state.withLock {
            let drained = $0.sinceDrain
            $0.sinceDrain = [:]
            return drained
        }
    }

    /// Counts one call about to be sent, unless `usedBefore + total + 1` would exceed the quota's limit:
    /// then nothing is counted and the calls used so far are returned.
    func admit(_ endpoint: String, quota: CallQuota?) -> Int? {
        state.withLock {
            if let quota, quota.usedBefore + $0.sent + 1 > quota.limit { return quota.usedBefore + $0.sent }
            $0.sent += 1
            $0.counts[endpoint, default: 0] += 1
            $0.sinceDrain[endpoint, default: 0] += 1
            return nil
        }
    }
}
