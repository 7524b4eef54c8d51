import Synchronization

/// Every call a client sent, by endpoint (`POST /SalesOrders/{guid}`, `GET /SalesOrders/{page}`),
/// retries included: the same keys as the sandbox's `GET /_sandbox/calls`.
public final class CallMeter: Sendable {
    private struct Counts {
        var all: [String: Int] = [:]
        var sinceDrain: [String: Int] = [:]
        var total = 0
    }

    private let counts = Mutex(Counts())

    /// An empty meter.
    public init() {}

    /// Counts one call.
    func record(_ endpoint: String) {
        counts.withLock {
            $0.all[endpoint, default: 0] += 1
            $0.sinceDrain[endpoint, default: 0] += 1
            $0.total += 1
        }
    }

    /// Every call so far, by endpoint.
    public func snapshot() -> [String: Int] { counts.withLock { $0.all } }

    /// Calls so far.
    public var total: Int { counts.withLock { $0.total } }

    /// The calls since the last drain (for adding to the ledger's monthly counters).
    public func drain() -> [String: Int] {
        counts.withLock {
            let result = $0.sinceDrain
            $0.sinceDrain = [:]
            return result
        }
    }
}

/// Spaces calls out to at most `rate` per second over every task sharing it.
actor RateLimiter {
    private let interval: Double
    private var next: ContinuousClock.Instant = .now

    init(rate: Double) {
        interval = 1 / rate
    }

    /// Waits for this call's turn.
    func wait() async {
        let now = ContinuousClock.now
        let turn = max(now, next)
        next = turn.advanced(by: .nanoseconds(Int64(interval * 1e9)))
        if turn > now { try? await Task.sleep(until: turn, clock: .continuous) }
    }
}
