/// The reference lists the push stage reads (paged, read-only).
public enum ReferenceResource: String, Sendable, Hashable, CaseIterable {
    case warehouses = "Warehouses"
    case taxes = "Taxes"
    case currencies = "Currencies"
    case salespersons = "Salespersons"
    case salesOrderGroups = "SalesOrderGroups"
    case deliveryMethods = "DeliveryMethods"
}
