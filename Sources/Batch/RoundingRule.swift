/// How `ExactDecimal` rounds when digits are dropped.
///
/// `halfUp` rounds half away from zero (0.005 → 0.01, -0.005 → -0.01), the usual money rule;
/// `halfEven` is banker's rounding; `down` truncates toward zero; `up` rounds away from zero.
public enum RoundingRule: Sendable {
    case halfUp, halfEven, down, up
}

extension RoundingRule {
    /// Divides `numerator` by a positive `denominator`, rounding the quotient by this rule.
    @usableFromInline
    func divide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder == 0 { return quotient }
        let step: Int128 = numerator < 0 ? -1 : 1
        let magnitude = remainder.magnitude
        let rest = denominator.magnitude - magnitude
        switch self {
        case .down:
            return quotient
        case .up:
            return quotient + step
        case .halfUp:
            return magnitude >= rest ? quotient + step : quotient
        case .halfEven:
            if magnitude > rest { return quotient + step }
            if magnitude == rest && quotient % 2 != 0 { return quotient + step }
            return quotient
        }
    }
}
