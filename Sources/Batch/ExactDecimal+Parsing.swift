extension ExactDecimal {
    /// Parses JSON number notation straight from UTF-8 bytes (the fast path): optional '-',
    /// digits without leading zeros, optional fraction, optional exponent. Nil when the text is
    /// not a number or the value is out of range (over 38 significant digits, scale over 38).
    public init?(utf8 bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var i = 0
        guard count > 0 else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < count, isDigit(bytes[i]) else { return nil }
        if bytes[i] == UInt8(ascii: "0"), i + 1 < count, isDigit(bytes[i + 1]) { return nil }
        var significand: Int128 = 0
        var digits = 0          // significant digits accumulated (leading zeros excluded)
        var scale = 0
        var overflow = false
        // integer part
        while i < count, isDigit(bytes[i]) {
            ExactDecimal.accumulate(bytes[i], into: &significand, digits: &digits, overflow: &overflow)
            i += 1
        }
        if i < count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < count, isDigit(bytes[i]) else { return nil }
            while i < count, isDigit(bytes[i]) {
                ExactDecimal.accumulate(bytes[i], into: &significand, digits: &digits, overflow: &overflow)
                scale += 1
                i += 1
            }
        }
        var exponent = 0
        if i < count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < count, isDigit(bytes[i]) else { return nil }
            while i < count, isDigit(bytes[i]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] &- 48) }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        guard i == count, !overflow else { return nil }
        if negative { significand = -significand }
        guard let value = ExactDecimal.make(significand: significand, scale: scale - exponent) else { return nil }
        self = value
    }

    /// Adds one decimal digit to the significand, flagging overflow past 38 digits.
    @inline(__always)
    static func accumulate(_ byte: UInt8, into significand: inout Int128, digits: inout Int, overflow: inout Bool) {
        let digit = Int128(byte &- 48)
        if significand == 0 && digit == 0 { return }
        digits += 1
        if digits > 38 { overflow = true; return }
        significand = significand &* 10 &+ digit
    }

    /// Brings an arbitrary (significand, scale) into range: negative scales multiply out,
    /// scales above 38 drop trailing zeros; nil when impossible.
    static func make(significand: Int128, scale: Int) -> ExactDecimal? {
        if significand == 0 { return ExactDecimal(significand: 0, scale: min(max(scale, 0), maxScale)) }
        var sig = significand
        var sc = scale
        if sc < 0 {
            guard sc >= -38 else { return nil }
            let (value, overflow) = sig.multipliedReportingOverflow(by: power(-sc))
            guard !overflow else { return nil }
            sig = value
            sc = 0
        }
        while sc > maxScale && sig % 10 == 0 {
            sig /= 10
            sc -= 1
        }
        guard sc <= maxScale else { return nil }
        return ExactDecimal(significand: sig, scale: sc)
    }
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool {
    byte &- 48 < 10
}
