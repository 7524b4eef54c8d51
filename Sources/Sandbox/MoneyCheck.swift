import Batch
import UnleashedContract

/// Unleashed's money rules for a sales order (the rule itself is `SalesOrderMoney`, the contract's owner):
/// `LineTotal = round2(OrderQuantity × UnitPrice × (1 − DiscountRate))`, `LineTax = round2(LineTotal × rate)`,
/// `SubTotal = Σ LineTotal`, `TaxTotal = Σ LineTax`, `Total = SubTotal + TaxTotal`, each compared exactly with what was sent (an amount not rounded to the cent is a mismatch).
struct MoneyCheck {
    /// The amounts of one line as sent, plus the tax rate that applies to it.
    struct Line {
        var number: String
        var quantity: ExactDecimal
        var unitPrice: ExactDecimal
        var discountRate: ExactDecimal
        var lineTotal: ExactDecimal
        var lineTax: ExactDecimal
        var taxRate: ExactDecimal
    }

    /// The running totals, summed by the contract's `SalesOrderTotals` (as the pipeline sums them).
    private var totals = SalesOrderTotals()

    /// Checks one line and adds it to the running totals.
    mutating func add(_ line: Line) throws(APIError) {
        let label = "Line \(line.number)"
        guard let expectedTotal = SalesOrderMoney.lineTotal(quantity: line.quantity, unitPrice: line.unitPrice,
                                                            discountRate: line.discountRate)
        else { throw .invalid("\(label): the amounts are too large to compute.") }
        guard SalesOrderMoney.matches(line.lineTotal, expectedTotal) else {
            throw .invalid(
                "\(label): LineTotal \(line.lineTotal) does not match round2(OrderQuantity × UnitPrice × (1 − DiscountRate)) = \(expectedTotal).")
        }
        guard let expectedTax = SalesOrderMoney.lineTax(lineTotal: expectedTotal, rate: line.taxRate) else {
            throw .invalid("\(label): the amounts are too large to compute.")
        }
        guard SalesOrderMoney.matches(line.lineTax, expectedTax) else {
            throw .invalid(
                "\(label): LineTax \(line.lineTax) does not match round2(LineTotal × TaxRate \(line.taxRate.normalized)) = \(expectedTax).")
        }
        guard totals.add(lineTotal: expectedTotal, lineTax: expectedTax) else {
            throw .invalid("\(label): the amounts are too large to compute.")
        }
    }

    /// Checks the order totals against the lines added.
    func checkTotals(subTotal given: ExactDecimal, taxTotal givenTax: ExactDecimal, total givenTotal: ExactDecimal) throws(APIError) {
        // `add` refused any line whose sum overflowed, so the totals are there.
        let subTotal = totals.subTotal ?? .zero, taxTotal = totals.taxTotal ?? .zero
        guard SalesOrderMoney.matches(given, subTotal) else {
            throw .invalid("SubTotal \(given) does not match the sum of the LineTotal values = \(subTotal).")
        }
        guard SalesOrderMoney.matches(givenTax, taxTotal) else {
            throw .invalid("TaxTotal \(givenTax) does not match the sum of the LineTax values = \(taxTotal).")
        }
        guard let total = totals.total, SalesOrderMoney.matches(givenTotal, total) else {
            let expected = totals.total.map(\.description) ?? "too large"
            throw .invalid("Total \(givenTotal) does not match SubTotal + TaxTotal = \(expected).")
        }
    }
}
