/// The record collections the sandbox serves, named as Unleashed's endpoints are.
public enum Resource: String, Sendable, CaseIterable {
    case salesOrders = "SalesOrders"
    case customers = "Customers"
    case products = "Products"
    case warehouses = "Warehouses"
    case salespersons = "Salespersons"
    case salesOrderGroups = "SalesOrderGroups"
    case deliveryMethods = "DeliveryMethods"
    case taxes = "Taxes"
    case currencies = "Currencies"

    /// The field that identifies a record to people and must be unique (compared without case) (assumed for the reference lists).
    public var codeField: String {
        switch self {
        case .salesOrders: "OrderNumber"
        case .customers: "CustomerCode"
        case .products: "ProductCode"
        case .warehouses: "WarehouseCode"
        case .salespersons: "Email"
        case .salesOrderGroups: "GroupName"
        case .deliveryMethods: "Name"
        case .taxes: "TaxCode"
        case .currencies: "CurrencyCode"
        }
    }

    /// The key of this collection in a seed or state file (`salesOrders`, `deliveryMethods`, ...).
    public var seedKey: String {
        rawValue.prefix(1).lowercased() + rawValue.dropFirst()
    }

    /// Looks an endpoint name up without regard to case, as Unleashed's routing does.
    public static func named(_ segment: some StringProtocol) -> Resource? {
        let lowered = segment.lowercased()
        return allCases.first { $0.rawValue.lowercased() == lowered }
    }

    /// True for the read-only reference lists (everything but orders, customers and products).
    public var isReferenceList: Bool {
        switch self {
        case .salesOrders, .customers, .products: false
        default: true
        }
    }
}
