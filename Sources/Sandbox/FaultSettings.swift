import Batch
/// The faults the sandbox injects; all rates are probabilities in 0...1 drawn per API call.
///
/// One uniform draw per call (in arrival order, from a SplitMix64 seeded with `seed`) picks at
/// most one of throttle, error, reset and drop, in that order of the rate bands; latency is added
/// to every API call, plus a jitter drawn from a second PRNG. `scripted` faults are consumed first, one per call, before any draw.
public struct FaultSettings: Sendable, Equatable {
    /// Delay added to every API call, in milliseconds.
    public var latencyMs: Int = 0
    /// A random extra delay per call, uniform in 0...latencyJitterMs (from its own PRNG, so the
    /// faults drawn do not change with it).
    public var latencyJitterMs: Int = 0
    /// Probability of a 500 before the call does anything.
    public var errorRate: Double = 0
    /// Probability of "commit then drop": the write is applied, then the connection is closed without a response.
    public var dropRate: Double = 0
    /// Probability of a 429 with `Retry-After` before the call does anything.
    public var throttleRate: Double = 0
    /// Probability of a connection reset (TCP RST) before the call does anything.
    public var resetRate: Double = 0
    /// Seconds sent in `Retry-After` with an injected 429.
    public var retryAfterSeconds: Int = 1
    /// Seed of the fault PRNG; the same seed and the same call order give the same faults.
    public var seed: UInt64 = 0
    /// Monthly call quota; nil means unlimited.
    public var quota: Int?
    /// Faults forced on the next calls, one each, before any random draw.
    public var scripted: [FaultKind] = []

    /// No faults, no quota.
    public init() {}

    /// True when every rate is a probability and the numbers are sane.
    public func validationProblem() -> String? {
        let rates = [("errorRate", errorRate), ("dropRate", dropRate), ("throttleRate", throttleRate), ("resetRate", resetRate)]
        for (name, rate) in rates where !(0...1).contains(rate) {
            return "\(name) must be between 0 and 1, got \(rate)"
        }
        // A little slack for binary rounding: 0.1 + 0.2 + 0.3 + 0.4 adds up to 1.0000000000000002.
        if rates.map(\.1).reduce(0, +) > 1 + 1e-9 {
            return "the fault rates add up to more than 1"
        }
        if !(0...600_000).contains(latencyMs) { return "latencyMs must be between 0 and 600000 (10 minutes)" }
        if !(0...600_000).contains(latencyJitterMs) { return "latencyJitterMs must be between 0 and 600000 (10 minutes)" }
        if retryAfterSeconds < 0 { return "retryAfterSeconds must not be negative" }
        if let quota, quota < 0 { return "quota must not be negative" }
        return nil
    }
}

/// One injected fault.
public enum FaultKind: String, Sendable, Equatable, CaseIterable {
    /// No fault: the call is served normally.
    case none
    /// 500 with an Unleashed error body, nothing applied.
    case error
    /// 429 with `Retry-After`, nothing applied.
    case throttle
    /// Connection reset before anything is applied.
    case reset
    /// The call is applied, then the connection is closed without a response.
    case drop
}
