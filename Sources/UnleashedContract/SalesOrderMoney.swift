import Batch

/// Unleashed's money rules for a sales order, in exact decimals: to the cent, half-up.
///
/// The one owner of the rule (the sandbox validates with it, the pipeline plans with it):
/// `LineTotal = round2(OrderQuantity × UnitPrice × (1 − DiscountRate))`,
/// `LineTax = round2(LineTotal × rate)`; the totals are sums (`SalesOrderTotals`).
public enum SalesOrderMoney {
    /// Decimal places of every amount Unleashed validates.
    public static let places = 2
    /// How amounts are rounded to `places` (half-up: away from zero at .5).
    public static let rounding: RoundingRule = .halfUp

    /// The largest amount (a line total, the SubTotal or the Total) omsync sends: 10^12 − 0.01.
    /// Unleashed publishes no limit; it stores money in SQL Server decimals (`money` holds up to
    /// about 9.2 × 10^14), and no Ordermentum order comes near a trillion. A larger amount is a
    /// wrong quantity or price in the export, so the order is not pushed (E-MONEY).
    public static let largestAmount = ExactDecimal(significand: 99_999_999_999_999, scale: 2)
    /// The largest line quantity omsync sends: 10^9 − 0.0001 (Unleashed keeps 4 decimal places).
    public static let largestQuantity = ExactDecimal(significand: 9_999_999_999_999, scale: 4)
    /// A computed Total more than this many times Ordermentum's own total (and more than
    /// `absurdMargin` above it) is not a rounding or freight difference but wrong data: an error,
    /// not the W-TOTAL-MISMATCH warning.
    public static let absurdFactor = 10
    public static let absurdMargin = ExactDecimal(1000)

    /// Why `total` cannot be Ordermentum's order whose own total is `theirs` (nil: it can).
    public static func absurdTotal(_ total: ExactDecimal, comparedTo theirs: ExactDecimal) -> String? {
        guard !theirs.isNegative, let limit = theirs.multiplied(by: ExactDecimal(absurdFactor))?.adding(absurdMargin),
              limit < total else { return nil }
        return "the computed Total \(total) is more than \(absurdFactor) times Ordermentum's own total \(theirs)"
    }

    /// `round2(quantity × unitPrice × (1 − discountRate))`; nil when the arithmetic overflows.
    public static func lineTotal(quantity: ExactDecimal, unitPrice: ExactDecimal, discountRate: ExactDecimal) -> ExactDecimal? {
        guard let keep = ExactDecimal(1).subtracting(discountRate),
              let gross = quantity.multiplied(by: unitPrice),
              let net = gross.multiplied(by: keep)
        else { return nil }
        return round2(net)
    }

    /// `round2(lineTotal × rate)`; nil when the arithmetic overflows.
    public static func lineTax(lineTotal: ExactDecimal, rate: ExactDecimal) -> ExactDecimal? {
        lineTotal.multiplied(by: rate).flatMap(round2)
    }

    /// The amount to the cent, half-up, with exactly two decimals; nil when it is too large to
    /// be written with two decimals (more than 36 integer digits).
    public static func round2(_ amount: ExactDecimal) -> ExactDecimal? {
        amount.roundedExactly(scale: places, rule: rounding)
    }

    /// True when an amount sent equals the amount Unleashed computes, exactly (`5.760` is `5.76`;
    /// `5.755` is not, though it rounds to it): the amounts are validated as sent, so an amount
    /// the client did not round to the cent is a mismatch.
    public static func matches(_ sent: ExactDecimal, _ computed: ExactDecimal) -> Bool {
        sent.subtracting(computed)?.isZero ?? false
    }
}
