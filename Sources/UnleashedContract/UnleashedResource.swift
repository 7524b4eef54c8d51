/// The record collections of the Unleashed API, named as its endpoints are, with the field that
/// names a record to people. The one list of them: the client lists them, the push stage indexes
/// them, the sandbox serves them.
public enum UnleashedResource: String, Sendable, Hashable, CaseIterable {
    case salesOrders = "SalesOrders"
    case customers = "Customers"
    case products = "Products"
    case warehouses = "Warehouses"
    case salespersons = "Salespersons"
    case salesOrderGroups = "SalesOrderGroups"
    case deliveryMethods = "DeliveryMethods"
    case taxes = "Taxes"
    case currencies = "Currencies"

    /// The field that identifies a record to people and that orders refer to it by; unique,
    /// compared without case (assumed for the reference lists).
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

    /// The read-only reference lists (everything but orders, customers and products).
    public var isReferenceList: Bool {
        switch self {
        case .salesOrders, .customers, .products: false
        default: true
        }
    }

    /// The resource an endpoint segment names, matched without regard to case, as Unleashed's routing does.
    public static func named(_ segment: some StringProtocol) -> UnleashedResource? {
        let lowered = segment.lowercased()
        return allCases.first { $0.rawValue.lowercased() == lowered }
    }
}

/// The endpoint templates the call counters use, on both sides of the wire (the client's meter
/// and the sandbox's quota): `GET /SalesOrders/{page}`, `POST /SalesOrders/{guid}`,
/// `POST /SalesOrders/{guid}/Complete`. A page number becomes `{page}`, a GUID `{guid}`, other
/// segments stay.
public enum UnleashedEndpoint {
    /// The template of `method` `path` (the path without its query).
    public static func template(method: String, path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first else { return "\(method) /" }
        var shape = "\(method) /\(UnleashedResource.named(first)?.rawValue ?? String(first))"
        if segments.count > 1 {
            shape += isPageNumber(segments[1]) ? "/{page}" : UnleashedGuid.isValid(segments[1]) ? "/{guid}" : "/\(segments[1])"
        }
        if segments.count > 2 {
            shape += "/" + segments[2...].map { $0.lowercased() == "complete" ? "Complete" : String($0) }.joined(separator: "/")
        }
        return shape
    }

    /// A page number segment: digits, with an optional sign (`-1` is a page number, a bad one).
    public static func isPageNumber(_ text: some StringProtocol) -> Bool {
        let text = Substring(text)
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : text
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// Unleashed's GUIDs: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hex digits of either case.
public enum UnleashedGuid {
    /// Whether `text` has the GUID's form.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard b == UInt8(ascii: "-") else { return false }
            } else {
                guard (48...57).contains(b) || (97...102).contains(b) || (65...70).contains(b) else { return false }
            }
        }
        return true
    }
}
