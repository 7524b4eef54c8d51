import Batch

/// The running totals of a sales order: `SubTotal = Σ LineTotal`, `TaxTotal = Σ LineTax`,
/// `Total = SubTotal + TaxTotal`, exact.
public struct SalesOrderTotals: Sendable, Hashable {
    /// Σ LineTotal of the lines added; nil after an overflow.
    public private(set) var subTotal: ExactDecimal? = .zero
    /// Σ LineTax of the lines added; nil after an overflow.
    public private(set) var taxTotal: ExactDecimal? = .zero

    /// Totals of an order with no lines yet (all zero).
    public init() {}

    /// `SubTotal + TaxTotal`; nil after an overflow.
    public var total: ExactDecimal? {
        guard let subTotal, let taxTotal else { return nil }
        return subTotal.adding(taxTotal)
    }

    /// Adds one line's amounts; false (and the totals become nil) when a sum overflows.
    @discardableResult
    public mutating func add(lineTotal: ExactDecimal, lineTax: ExactDecimal) -> Bool {
        subTotal = subTotal?.adding(lineTotal)
        taxTotal = taxTotal?.adding(lineTax)
        return subTotal != nil && taxTotal != nil
    }
}
