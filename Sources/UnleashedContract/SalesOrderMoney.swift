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
