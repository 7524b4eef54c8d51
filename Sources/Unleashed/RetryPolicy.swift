/// How often and how long the client retries a call whose failure may pass (5xx, 429, timeouts,
/// resets, dropped connections): exponential backoff with full jitter.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1 = never retry).
    public var maxAttempts: Int
    /// The backoff ceiling of the first retry; it doubles with each further retry.
    public var baseDelay: Duration
    /// The largest backoff ceiling.
    public var maxDelay: Duration
    /// A 429 whose `Retry-After` is longer than this is a quota answer (`.quotaExceeded`), not retried.
    public var maxRetryAfter: Duration

    /// The defaults: 6 attempts, 250 ms doubling up to 30 s, `Retry-After` honoured up to 120 s.
    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(30),
                maxRetryAfter: Duration = .seconds(120)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The ceiling of the backoff before retry number `retry` (1-based): `min(maxDelay, baseDelay × 2^(retry−1))`.
    public func ceiling(beforeRetry retry: Int) -> Duration {
        var ceiling = baseDelay
        var step = 1
        while step < retry, ceiling < maxDelay {
            ceiling = ceiling * 2
            step += 1
        }
        return min(ceiling, maxDelay)
    }

    /// A delay drawn uniformly from `0...ceiling(beforeRetry:)` ("full jitter").
    public func delay(beforeRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(beforeRetry: retry)
        let (seconds, attoseconds) = ceiling.components
        let totalMicros = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        return .microseconds(Int64.random(in: 0...totalMicros, using: &generator))
    }
}
