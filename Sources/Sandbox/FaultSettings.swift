/// The faults the sandbox injects; all rates are probabilities in 0...1 drawn per API call.
///
/// One uniform draw per call (in arrival order, from a SplitMix64 seeded with `seed`) picks at
/// most one of throttle, error, reset and drop, in that order of the rate bands; latency is added
/// to every API call. `scripted` faults are consumed first, one per call, before any draw.
public struct FaultSettings: Sendable, Equatable {
    /// Delay added to every API call, in milliseconds.
    public var latencyMs: Int = 0
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
        if rates.map(\.1).reduce(0, +) > 1 {
            return "the fault rates add up to more than 1"
        }
        if latencyMs < 0 { return "latencyMs must not be negative" }
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

/// SplitMix64: a tiny, fast, well-mixed PRNG whose whole state is one `UInt64`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { self.state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1) from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}

/// Decides the fault of each call, deterministically, in arrival order.
struct FaultInjector: Sendable {
    private(set) var settings: FaultSettings
    private var generator: SplitMix64

    init(settings: FaultSettings) {
        self.settings = settings
        self.generator = SplitMix64(seed: settings.seed)
    }

    /// Replaces the settings; the PRNG restarts only when the seed changes.
    mutating func update(_ newSettings: FaultSettings) {
        if newSettings.seed != settings.seed { generator = SplitMix64(seed: newSettings.seed) }
        settings = newSettings
    }

    /// The fault for the next call. Draws exactly one number per call when any rate is set.
    mutating func nextFault() -> FaultKind {
        if !settings.scripted.isEmpty {
            return settings.scripted.removeFirst()
        }
        let bands: [(FaultKind, Double)] = [
            (.throttle, settings.throttleRate), (.error, settings.errorRate),
            (.reset, settings.resetRate), (.drop, settings.dropRate),
        ]
        guard bands.contains(where: { $0.1 > 0 }) else { return .none }
        let draw = generator.nextUnit()
        var edge = 0.0
        for (kind, rate) in bands {
            edge += rate
            if draw < edge { return kind }
        }
        return .none
    }
}
