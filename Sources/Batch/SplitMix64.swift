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

extension SplitMix64 {
    /// A uniform value in `0..<n` (n > 0), without modulo bias.
    public mutating func below(_ n: Int) -> Int { Int(next(upperBound: UInt64(n))) }

    /// A uniform value in `range`.
    public mutating func inRange(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { nextUnit() < p }

    /// One of `choices` (not empty), uniformly.
    public mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
}
