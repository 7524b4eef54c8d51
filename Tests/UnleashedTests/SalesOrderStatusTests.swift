import Testing
import Unleashed

@Suite struct SalesOrderStatusTests {
    @Test func onlyOpenOrdersMayBeModified() {
        #expect(SalesOrderStatus.allCases.filter(\.isModifiable) == [.parked, .placed, .backordered])
        #expect(!SalesOrderStatus.creatable.contains(.deleted))
    }

    @Test func statusesMatchWithoutCase() {
        #expect(SalesOrderStatus(matching: "completed") == .completed)
        #expect(SalesOrderStatus(matching: "Shipped") == nil)
    }
}
