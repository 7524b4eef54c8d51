import Rules
import Testing
import Unleashed

/// Two lists name Unleashed's sales-order fields for two purposes: `Rules.UnleashedFields` (what
/// a rule may map; the checker and the schema use it) and `Unleashed.UnleashedFieldCatalogue`
/// (the record as Unleashed holds it, with its length limits; the sandbox and the pipeline's
/// warnings use it). Rules cannot depend on the client, so the agreement is checked here, where
/// both are in reach: a rule must never be allowed a field Unleashed does not have.
@Suite struct FieldCatalogueAgreementTests {
    @Test func everyMappableFieldIsAFieldOfUnleashedsRecord() {
        let header = Set(UnleashedFieldCatalogue.salesOrderHeaderFields)
        let line = Set(UnleashedFieldCatalogue.salesOrderLineFields)
        #expect(UnleashedFields.header.filter { !header.contains($0) } == [])
        #expect(UnleashedFields.line.filter { !line.contains($0) } == [])
        #expect(UnleashedFields.numeric.subtracting(header.union(line)) == [])
        // What a rule may not map, Unleashed computes or keeps itself.
        #expect(header.subtracting(UnleashedFields.header) == ["Guid", "SubTotal", "TaxTotal", "Total"])
        #expect(line.subtracting(UnleashedFields.line) == ["Guid", "LineNumber", "LineTotal", "LineTax"])
    }

    @Test func everyLimitNamesAKnownField() {
        let header = Set(UnleashedFieldCatalogue.salesOrderHeaderFields)
        let line = Set(UnleashedFieldCatalogue.salesOrderLineFields.map { "SalesOrderLines[]." + $0 })
        #expect(UnleashedFieldCatalogue.salesOrderLimits.map(\.field).filter { !header.contains($0) && !line.contains($0) } == [])
        #expect(UnleashedFieldCatalogue.customerLimits.map(\.field).filter { !UnleashedFields.customer.contains($0) } == [])
        #expect(UnleashedFieldCatalogue.productLimits.map(\.field).filter { !UnleashedFields.product.contains($0) } == [])
    }
}
