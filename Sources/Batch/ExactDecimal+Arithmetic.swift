extension ExactDecimal {
    /// The exact sum, or nil on overflow. The result's scale is the larger of the two.
    public func adding(_ other: ExactDecimal) -> ExactDecimal? {
        let target = max(scale, other.scale)
        guard let a = significand(atScale: target), let b = other.significand(atScale: target) else { return nil }
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : ExactDecimal(significand: sum, scale: target)
    }

    /// The exact difference, or nil on overflow.
    public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
        let target = max(scale, other.scale)
        guard let a = significand(atScale: target), let b = other.significand(atScale: target) else { return nil }
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : ExactDecimal(significand: difference, scale: target)
    }

    /// The exact product (scale = sum of scales), or nil on overflow. When the scale would pass
    /// 38 the product is rounded half up to scale 38.
    public func multiplied(by other: ExactDecimal) -> ExactDecimal? {
        let (product, overflow) = significand.multipliedReportingOverflow(by: other.significand)
        guard !overflow else { return nil }
        let productScale = scale + other.scale
        if productScale <= ExactDecimal.maxScale {
            return ExactDecimal(significand: product, scale: productScale)
        }
        let divisor = ExactDecimal.power(productScale - ExactDecimal.maxScale)
        return ExactDecimal(significand: RoundingRule.halfUp.divide(product, by: divisor), scale: ExactDecimal.maxScale)
    }

    /// self ÷ other rounded to `scale` digits by `rounding`; nil on division by zero or overflow.
    public func divided(by other: ExactDecimal, scale target: Int, rounding: RoundingRule) -> ExactDecimal? {
        guard other.significand != 0, (0...ExactDecimal.maxScale).contains(target) else { return nil }
        // q = a.sig × 10^(target + b.scale − a.scale) ÷ b.sig
        let exponent = target + other.scale - scale
        var numerator = significand
        var denominator = other.significand
        if exponent >= 0 {
            guard exponent <= 38 else { return nil }
            let (value, overflow) = numerator.multipliedReportingOverflow(by: ExactDecimal.power(exponent))
            guard !overflow else { return nil }
            numerator = value
        } else {
            guard -exponent <= 38 else { return nil }
            let (value, overflow) = denominator.multipliedReportingOverflow(by: ExactDecimal.power(-exponent))
            guard !overflow else { return nil }
            denominator = value
        }
        if denominator < 0 {
            guard numerator != Int128.min, denominator != Int128.min else { return nil }
            numerator = -numerator
            denominator = -denominator
        }
        return ExactDecimal(significand: rounding.divide(numerator, by: denominator), scale: target)
    }

    /// The value at `scale` digits after the point. Fewer digits round by `rule` (halfUp =
    /// away from zero at .5); more digits pad with zeros (unchanged if that would overflow).
    public func rounded(scale target: Int, rule: RoundingRule = .halfUp) -> ExactDecimal {
        let clamped = min(max(target, 0), ExactDecimal.maxScale)
        if clamped >= scale {
            guard let padded = significand(atScale: clamped) else { return self }
            return ExactDecimal(significand: padded, scale: clamped)
        }
        let divisor = ExactDecimal.power(scale - clamped)
        return ExactDecimal(significand: rule.divide(significand, by: divisor), scale: clamped)
    }

    /// The value at exactly `scale` digits after the point (0...38), rounded by `rule`; nil when
    /// padding to that scale overflows (a value too large to be written with that many decimals).
    public func roundedExactly(scale target: Int, rule: RoundingRule = .halfUp) -> ExactDecimal? {
        guard (0...ExactDecimal.maxScale).contains(target) else { return nil }
        if target >= scale {
            return significand(atScale: target).map { ExactDecimal(significand: $0, scale: target) }
        }
        return rounded(scale: target, rule: rule)
    }

    /// The negated value (nil only for the one significand that cannot be negated).
    public var negated: ExactDecimal? {
        guard significand != Int128.min else { return nil }
        return ExactDecimal(significand: -significand, scale: scale)
    }
}
