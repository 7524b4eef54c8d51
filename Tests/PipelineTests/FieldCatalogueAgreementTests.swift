import Rules
import Testing
import UnleashedContract

/// The customer and product fields a rule may map (`Rules.UnleashedFields`) and the limits the
/// contract knows (`UnleashedFieldCatalogue`) name the same fields. (The sales-order lists are
/// derived from the catalogue, so they cannot disagree.)
@Suite struct FieldCatalogueAgreementTests {
    @Test func everyLimitNamesAKnownField() {
        let header = Set(UnleashedFieldCatalogue.salesOrderHeaderFields)
        let line = Set(UnleashedFieldCatalogue.salesOrderLineFields.map { "SalesOrderLines[]." + $0 })
        #expect(UnleashedFieldCatalogue.salesOrderLimits.map(\.field).filter { !header.contains($0) && !line.contains($0) } == [])
        #expect(UnleashedFieldCatalogue.customerLimits.map(\.field).filter { !UnleashedFields.customer.contains($0) } == [])
        #expect(UnleashedFieldCatalogue.productLimits.map(\.field).filter { !UnleashedFields.product.contains($0) } == [])
    }
}
