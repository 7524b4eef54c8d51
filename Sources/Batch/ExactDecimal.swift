/// Exact decimal: value = significand × 10^-scale. Never goes through `Double`.
///
/// `scale` is 0...38 and keeps trailing zeros (`"28.7900"` has scale 4), so text survives a round
/// trip. Equality and hashing compare the numeric value (`28.79 == 28.7900`). Arithmetic returns
/// `nil` on overflow instead of trapping.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The integer digits of the value.
    public var significand: Int128
    /// How many of the significand's digits are after the decimal point (0...38).
    public var scale: Int

    /// The largest supported scale.
    public static let maxScale = 38

    /// Zero with scale 0.
    public static let zero = ExactDecimal(significand: 0, scale: 0)

    /// A decimal from its parts; `scale` is clamped to 0...38.
    @inlinable
    public init(significand: Int128, scale: Int) {
        self.significand = significand
        self.scale = min(max(scale, 0), ExactDecimal.maxScale)
    }

    /// An integer value with scale 0.
    @inlinable
    public init(_ value: Int) {
        self.significand = Int128(value)
        self.scale = 0
    }

    /// Parses a decimal in JSON number notation ("28.7900", "-0", "1e-3", "1.5E+2"); nil when the
    /// text is not a number, or the value does not fit (more than 38 digits or scale over 38).
    public init?(_ text: some StringProtocol) {
        var copy = String(text)
        let parsed = copy.withUTF8 { ExactDecimal(utf8: UnsafeRawBufferPointer($0)) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// True when the value is zero (of any scale or sign).
    @inlinable public var isZero: Bool { significand == 0 }

    /// True when the value is below zero (negative zero is not negative).
    @inlinable public var isNegative: Bool { significand < 0 }

    /// The same value with trailing fractional zeros removed: 28.7900 → 28.79.
    public var normalized: ExactDecimal {
        var sig = significand
        var sc = scale
        while sc > 0 && sig % 10 == 0 {
            sig /= 10
            sc -= 1
        }
        return ExactDecimal(significand: sig, scale: sc)
    }

    /// Plain notation keeping the scale: "28.7900", "-0.5", "12".
    public var description: String {
        var bytes: [UInt8] = []
        appendPlainText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the plain notation (as `description`) as UTF-8 bytes, without creating a String.
    public func appendPlainText(to bytes: inout [UInt8]) {
        if significand < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var end = 40
            var magnitude = significand.magnitude
            if magnitude <= UInt128(UInt64.max) {
                var small = UInt64(magnitude)
                repeat {
                    end -= 1
                    digits[end] = UInt8(truncatingIfNeeded: small % 10) + 48
                    small /= 10
                } while small > 0
            } else {
                repeat {
                    end -= 1
                    digits[end] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
                    magnitude /= 10
                } while magnitude > 0
            }
            let count = 40 - end
            let text = UnsafeBufferPointer(rebasing: digits[end..<40])
            if scale == 0 {
                bytes.append(contentsOf: text)
            } else if count > scale {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<(count - scale)]))
                bytes.append(UInt8(ascii: "."))
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[(count - scale)...]))
            } else {
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "."))
                for _ in 0..<(scale - count) { bytes.append(UInt8(ascii: "0")) }
                bytes.append(contentsOf: text)
            }
        }
    }

    /// 10^n as Int128 for n in 0...38.
    @usableFromInline
    static func power(_ n: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<n { result &*= 10 }
        return result
    }

    /// The significand rescaled to a larger `target` scale, nil on overflow.
    @usableFromInline
    func significand(atScale target: Int) -> Int128? {
        if target == scale { return significand }
        let (value, overflow) = significand.multipliedReportingOverflow(by: ExactDecimal.power(target - scale))
        return overflow ? nil : value
    }

    /// Compares numeric values.
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        compare(lhs, rhs) == 0
    }

    /// Hashes the normalized value so equal values hash alike.
    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.significand)
        hasher.combine(n.scale)
    }

    /// Orders by numeric value.
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// -1, 0 or 1 as lhs is below, equal to or above rhs.
    static func compare(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Int {
        let target = max(lhs.scale, rhs.scale)
        guard let a = lhs.significand(atScale: target) else { return lhs.significand < 0 ? -1 : 1 }
        guard let b = rhs.significand(atScale: target) else { return rhs.significand < 0 ? 1 : -1 }
        return a < b ? -1 : (a == b ? 0 : 1)
    }
}
