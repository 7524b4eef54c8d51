import Foundation
import Synchronization

/// Paces calls to at most `rate` per second, shared by every concurrent caller of one client.
///
/// A token bucket holding at most `max(1, rate)` tokens, refilled continuously. A caller that finds
/// no token reserves the next one (the count goes below zero) and sleeps until it is due, so
/// concurrent callers queue in arrival order instead of waking together.
final class TokenBucket: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date?
    }

    private let rate: Double
    private let capacity: Double
    private let bucket: Mutex<Bucket>
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void

    init(rate: Double, now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.rate = rate
        self.capacity = max(1, rate)
        self.bucket = Mutex(Bucket(tokens: max(1, rate)))
        self.now = now
        self.sleep = sleep
    }

    /// Takes one token, sleeping until it is due.
    func acquire() async throws {
        let wait = reserve()
        if wait > 0 { try await sleep(.microseconds(Int64((wait * 1_000_000).rounded(.up)))) }
    }

    /// Takes (or reserves) a token and returns the seconds to wait for it.
    func reserve() -> Double {
        bucket.withLock { b in
            let moment = now()
            if let updated = b.updated {
                let elapsed = max(0, moment.timeIntervalSince(updated))
                b.tokens = min(capacity, b.tokens + elapsed * rate)
            }
            b.updated = moment
            b.tokens -= 1
            return b.tokens >= 0 ? 0 : -b.tokens / rate
        }
    }
}
