import Batch
/// Decides the fault of each call, deterministically, in arrival order.
struct FaultInjector: Sendable {
    private(set) var settings: FaultSettings
    private var generator: SplitMix64
    /// Draws the latency jitter, apart from the faults: the same seed gives the same faults with or without jitter.
    private var jitter: SplitMix64

    init(settings: FaultSettings) {
        self.settings = settings
        self.generator = SplitMix64(seed: settings.seed)
        self.jitter = SplitMix64(seed: settings.seed ^ 0x6A69_7474_6572_0000)
    }

    /// Replaces the settings; the PRNG restarts only when the seed changes.
    mutating func update(_ newSettings: FaultSettings) {
        if newSettings.seed != settings.seed {
            generator = SplitMix64(seed: newSettings.seed)
            jitter = SplitMix64(seed: newSettings.seed ^ 0x6A69_7474_6572_0000)
        }
        settings = newSettings
    }

    /// The delay of the next call: the latency plus a uniform draw in 0...jitter.
    mutating func nextLatency() -> Int {
        settings.latencyMs + (settings.latencyJitterMs > 0 ? jitter.below(settings.latencyJitterMs + 1) : 0)
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
