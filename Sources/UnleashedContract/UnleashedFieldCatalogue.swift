/// The field names of Unleashed's records and their length limits (in `UnleashedText.length`
/// units: UTF-16 code units, as .NET strings and SQL Server `nvarchar` count them).
///
/// The one owner of the limits: the sandbox refuses longer values with them and the pipeline warns
/// with them. The sales-order limits are Unleashed's documented ones (`UNLEASHED.md`); the customer
/// and product limits are not documented and are generous guesses, as `docs/sandbox.md` says.
public enum UnleashedFieldCatalogue {
    /// The header fields of a sales order, in `UNLEASHED.md`'s order (nested references dotted).
    public static let salesOrderHeaderFields: [String] = [
        "Guid", "OrderNumber", "OrderDate", "RequiredDate", "OrderStatus", "Customer.CustomerCode",
        "Warehouse.WarehouseCode", "Currency.CurrencyCode", "ExchangeRate", "DiscountRate", "Tax.TaxCode", "Tax.TaxRate",
        "TaxRate", "SubTotal", "TaxTotal", "Total", "CustomerRef", "Comments", "DeliveryMethod", "SalesOrderGroup",
        "SalesPerson.Email", "DeliveryName", "DeliveryStreetAddress", "DeliveryStreetAddress2", "DeliverySuburb",
        "DeliveryCity", "DeliveryRegion", "DeliveryCountry", "DeliveryPostCode", "DeliveryInstruction", "SourceId",
    ]

    /// The fields of a sales-order line (under `SalesOrderLines[]`).
    public static let salesOrderLineFields: [String] = [
        "LineNumber", "Product.ProductCode", "OrderQuantity", "UnitPrice", "DiscountRate", "LineTotal", "LineTax",
        "LineTaxCode", "Comments", "Guid",
    ]

    /// Fields Unleashed maintains itself: never sent in a create or update body.
    public static let readOnlySalesOrderFields: Set<String> = [
        "CreatedOn", "CreatedBy", "LastModifiedOn", "LastModifiedBy", "CompletedDate",
    ]

    /// Header text fields with a documented limit.
    public static let salesOrderLimits: [(field: String, maxLength: Int)] = [
        ("OrderNumber", 20), ("CustomerRef", 500), ("Comments", 2048), ("DeliveryMethod", 50),
        ("SalesOrderGroup", 50), ("SourceId", 500), ("SalesOrderLines[].Comments", 2048),
    ]

    /// Customer fields with a limit (assumed).
    public static let customerLimits: [(field: String, maxLength: Int)] = [("CustomerCode", 50), ("CustomerName", 200)]

    /// Product fields with a limit (assumed).
    public static let productLimits: [(field: String, maxLength: Int)] = [("ProductCode", 100), ("ProductDescription", 500)]

    /// The longest warehouse code Unleashed accepts.
    public static let warehouseCodeMaxLength = 15

    /// The limit of a sales-order field: `"OrderNumber"` → 20, `"SalesOrderLines[].Comments"` → 2048; nil when none.
    public static func maxLength(salesOrderField path: String) -> Int? {
        salesOrderLimits.first { $0.field == path }?.maxLength
    }

    /// The limit of a customer field (`"CustomerCode"` → 50); nil when none.
    public static func maxLength(customerField field: String) -> Int? {
        customerLimits.first { $0.field == field }?.maxLength
    }

    /// The limit of a product field (`"ProductCode"` → 100); nil when none.
    public static func maxLength(productField field: String) -> Int? {
        productLimits.first { $0.field == field }?.maxLength
    }
}

/// How Unleashed measures text against its field limits. Unleashed runs on .NET and SQL Server,
/// which count UTF-16 code units (`nvarchar(n)`, `string.Length`), not characters as a person
/// sees them: "é" is 1, an emoji is 2 (a surrogate pair), a flag 4. An assumption (Unleashed does
/// not document it), written here once for the pipeline, `truncate` and the sandbox.
public enum UnleashedText {
    /// The length of `text` as Unleashed counts it.
    public static func length(_ text: some StringProtocol) -> Int { text.utf16.count }

    /// The longest start of `text` within `limit` units, cut between characters (never inside a
    /// surrogate pair or a character made of several scalars), so it may be a little shorter.
    public static func prefix(_ text: String, _ limit: Int) -> String {
        guard length(text) > limit else { return text }
        var units = 0
        var end = text.startIndex
        for index in text.indices {
            let next = text.index(after: index)
            units += text[index..<next].utf16.count
            if units > limit { break }
            end = next
        }
        return String(text[..<end])
    }
}
