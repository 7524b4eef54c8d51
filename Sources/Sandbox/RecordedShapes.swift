import Batch

/// The shapes real Unleashed answers have (recorded in `../shared/data/unleashed-real/`, summarised in
/// UNLEASHED.md "What real answers look like"): the one place the sandbox's field lists, their
/// order, their defaults and the server's number scales are written down.
///
/// A stored record keeps every field it was given; `shaped` puts the recorded fields first, in the
/// recorded order, with the default for each one missing, then anything else the record holds.
enum RecordedShapes {
    /// The GUID Unleashed writes for things that have none of their own (the nested `Tax`, a charge line's product).
    static let zeroGuid = "00000000-0000-0000-0000-000000000000"

    // MARK: Master and reference records

    /// A warehouse as `GET /Warehouses` answers it (2018 onwards: with `Suburb` and `Obsolete`).
    static let warehouse: [(String, JSONValue)] = [
        ("WarehouseCode", .null), ("WarehouseName", .null), ("IsDefault", .bool(false)), ("StreetNo", .null),
        ("AddressLine1", .null), ("AddressLine2", .null), ("Suburb", .null), ("City", .null), ("Region", .null),
        ("Country", .null), ("PostCode", .null), ("PhoneNumber", .null), ("FaxNumber", .null), ("MobileNumber", .null),
        ("DDINumber", .null), ("ContactName", .null), ("Obsolete", .bool(false)), ("Guid", .null), ("LastModifiedOn", .null),
    ]

    /// A currency, standalone and nested.
    static let currency: [(String, JSONValue)] = [
        ("CurrencyCode", .null), ("Description", .null), ("Guid", .null), ("LastModifiedOn", .null),
    ]

    /// A tax record (its nested form in an order is `nestedTax`).
    static let tax: [(String, JSONValue)] = [
        ("TaxCode", .null), ("Description", .null), ("TaxRate", .null), ("CanApplyToExpenses", .bool(false)),
        ("CanApplyToRevenue", .bool(true)), ("Obsolete", .bool(false)), ("Guid", .null), ("LastModifiedOn", .null),
    ]

    /// A sales person (the shape a customer's `SalesPerson` has; null on every recorded order).
    static let salesPerson: [(String, JSONValue)] = [
        ("FullName", .null), ("Email", .null), ("Obsolete", .bool(false)), ("Guid", .null), ("LastModifiedOn", .null),
    ]

    /// A customer as `GET /Customers` answers it. `CreatedOn` and `LastModifiedBy` are the sandbox's
    /// (no recorded customer is newer than 2014; orders and products carry them from 2018).
    static let customer: [(String, JSONValue)] = [
        ("Addresses", .array([])), ("CustomerCode", .null), ("CustomerName", .null), ("GSTVATNumber", .null),
        ("BankName", .null), ("BankBranch", .null), ("BankAccount", .null), ("Website", .null), ("PhoneNumber", .null),
        ("FaxNumber", .null), ("MobileNumber", .null), ("DDINumber", .null), ("TollFreeNumber", .null), ("Email", .null),
        ("EmailCC", .null), ("Currency", .null), ("Notes", .null), ("Taxable", .bool(true)), ("XeroContactId", .null),
        ("SalesPerson", .null), ("DiscountRate", .null), ("PrintPackingSlipInsteadOfInvoice", .null), ("PrintInvoice", .null),
        ("StopCredit", .bool(false)), ("Obsolete", .bool(false)), ("XeroSalesAccount", .null), ("XeroCostOfGoodsAccount", .null),
        ("SellPriceTier", .string("")), ("SellPriceTierReference", .null), ("CustomerType", .string("")),
        ("PaymentTerm", .string("")), ("ContactFirstName", .null), ("ContactLastName", .null), ("SourceId", .null),
        ("CreatedBy", .null), ("CreatedOn", .null), ("LastModifiedBy", .null), ("Guid", .null), ("LastModifiedOn", .null),
    ]

    /// A product as `GET /Products` answers it (the 2021 field set, plus `CanAutoAssemble` of 2014–2019).
    static let product: [(String, JSONValue)] = {
        var fields: [(String, JSONValue)] = [
            ("ProductCode", .null), ("ProductDescription", .null), ("Barcode", .null), ("PackSize", .null), ("Width", .null),
            ("Height", .null), ("Depth", .null), ("Weight", .null), ("MinStockAlertLevel", .null), ("MaxStockAlertLevel", .null),
            ("ReOrderPoint", .null), ("UnitOfMeasure", .null), ("NeverDiminishing", .bool(false)), ("LastCost", .null),
            ("DefaultPurchasePrice", .null), ("DefaultSellPrice", .null), ("CustomerSellPrice", .null), ("AverageLandPrice", .null),
            ("Obsolete", .bool(false)), ("Notes", .null), ("Images", .null), ("ImageUrl", .null),
        ]
        for tier in 1...10 {
            fields.append(("SellPriceTier\(tier)", .object(JSONObject([("Name", .string("Sell Price Tier \(tier)")), ("Value", .null)]))))
        }
        fields += [
            ("XeroTaxCode", .null), ("XeroTaxRate", .null), ("TaxablePurchase", .null), ("TaxableSales", .null),
            ("XeroSalesTaxCode", .null), ("XeroSalesTaxRate", .null), ("IsComponent", .bool(false)), ("IsAssembledProduct", .bool(false)),
            ("CanAutoAssemble", .bool(false)), ("ProductGroup", .null), ("XeroSalesAccount", .null), ("XeroCostOfGoodsAccount", .null),
            ("PurchaseAccount", .null), ("BinLocation", .null), ("Supplier", .null), ("AttributeSet", .null), ("SourceId", .null),
            ("SourceVariantParentId", .null), ("IsSerialized", .bool(false)), ("IsBatchTracked", .bool(false)),
            ("IsSellable", .bool(true)), ("MinimumSellPrice", .null), ("MinimumSaleQuantity", .null), ("MinimumOrderQuantity", .null),
            ("CreatedBy", .null), ("CreatedOn", .null), ("LastModifiedBy", .null), ("CommerceCode", .null),
            ("CustomsDescription", .null), ("SupplementaryClassificationAbbreviation", .null), ("ICCCountryCode", .null),
            ("ICCCountryName", .null), ("Guid", .null), ("LastModifiedOn", .null),
        ]
        return fields
    }()

    /// The recorded field list of a collection's records (nil: the sandbox keeps those as given).
    static func fields(of resource: Resource) -> [(String, JSONValue)]? {
        switch resource {
        case .warehouses: warehouse
        case .currencies: currency
        case .taxes: tax
        case .salespersons: salesPerson
        case .customers: customer
        case .products: product
        case .salesOrders, .salesOrderGroups, .deliveryMethods: nil
        }
    }

    /// `body` with `fields` first, in their order (a missing one gets its default), then the rest as they were.
    static func shaped(_ body: JSONObject, _ fields: [(String, JSONValue)]) -> JSONObject {
        var pairs: [(String, JSONValue)] = []
        pairs.reserveCapacity(fields.count + 4)
        var known: Set<String> = []
        for (key, fallback) in fields {
            known.insert(key)
            pairs.append((key, body[key] ?? fallback))
        }
        for (key, value) in body where !known.contains(key) { pairs.append((key, value)) }
        return JSONObject(pairs)
    }

    /// A record of `resource` in its recorded shape (unchanged for collections without one).
    static func shaped(_ body: JSONObject, as resource: Resource) -> JSONObject {
        guard let fields = fields(of: resource) else { return body }
        return shaped(body, fields)
    }

    // MARK: Objects nested in a sales order

    /// `Warehouse` in an order: the whole warehouse record.
    static func nestedWarehouse(_ record: StoredRecord) -> JSONValue {
        .object(shaped(record.body, warehouse).picking(warehouse.map(\.0)))
    }

    /// `Currency` in an order or a customer.
    static func nestedCurrency(_ record: StoredRecord) -> JSONValue {
        .object(shaped(record.body, currency).picking(currency.map(\.0)))
    }

    /// `Tax` in an order: as recorded, `Description` null, the zero GUID and no `LastModifiedOn`.
    static func nestedTax(_ record: StoredRecord) -> JSONValue {
        var tax = shaped(record.body, Self.tax).picking(Self.tax.map(\.0))
        tax["Description"] = .null
        if let rate = tax["TaxRate"]?.numberValue?.decimal { tax["TaxRate"] = atScale(rate, Scale.rate) }
        tax["Guid"] = .string(zeroGuid)
        tax["LastModifiedOn"] = .null
        return .object(tax)
    }

    /// `SalesPerson` in an order or a customer.
    static func nestedSalesPerson(_ record: StoredRecord) -> JSONValue {
        .object(shaped(record.body, salesPerson).picking(salesPerson.map(\.0)))
    }

    /// `Customer` in an order: `{CustomerCode, CustomerName, CurrencyId, Guid, LastModifiedOn}`.
    /// `CurrencyId` is Unleashed's internal number of the customer's currency; the sandbox numbers
    /// its currencies 1, 2, … in list order.
    static func nestedCustomer(_ record: StoredRecord, currencies: RecordTable) -> JSONValue {
        let body = record.body
        let code = body["Currency"]?["CurrencyCode"]?.stringValue
        let position = code.flatMap { currencies.position(code: $0) } ?? 0
        return .object(JSONObject([
            ("CustomerCode", body["CustomerCode"] ?? .null), ("CustomerName", body["CustomerName"] ?? .null),
            ("CurrencyId", .number(JSONNumber(position + 1))), ("Guid", body["Guid"] ?? .null),
            ("LastModifiedOn", body["LastModifiedOn"] ?? .null),
        ]))
    }

    /// A line's `Product`: `{Guid, ProductCode, ProductDescription}`.
    static func nestedProduct(_ record: StoredRecord) -> JSONValue {
        .object(record.body.picking("Guid", "ProductCode", "ProductDescription"))
    }

    // MARK: Numbers

    /// The decimal places Unleashed writes each kind of number with.
    enum Scale {
        /// Quantities, unit prices, discount rates, `BCUnitPrice`.
        static let quantity = 4
        /// A product line's `LineTotal`.
        static let lineTotal = 8
        /// Order totals, `LineTax`, `BCLineTotal`, `BCLineTax`, volumes and weights.
        static let total = 3
        /// `ExchangeRate`, `TaxRate`.
        static let rate = 6
        /// `AverageLandedPriceAtTimeOfSale`.
        static let landedPrice = 14
        /// The amounts of a charge line.
        static let charge = 2
    }

    /// `value` written with at least `scale` decimals, as Unleashed pads them; a value sent with
    /// more decimals keeps them (the sandbox never changes an amount it was given).
    static func atScale(_ value: ExactDecimal, _ scale: Int) -> JSONValue {
        .number(JSONNumber(value.scale < scale ? value.rounded(scale: scale) : value))
    }

    /// An amount in the base currency (`BC…`): `value ÷ exchangeRate` at `scale`; null when it cannot be computed.
    static func baseCurrency(_ value: ExactDecimal, exchangeRate: ExactDecimal, scale: Int) -> JSONValue {
        guard let converted = value.divided(by: exchangeRate, scale: scale, rounding: .halfUp) else { return .null }
        return .number(JSONNumber(converted))
    }
}

extension JSONObject {
    /// A copy holding only `keys` (those present), in that order.
    func picking(_ keys: [String]) -> JSONObject {
        var out = JSONObject()
        for key in keys { if let value = self[key] { out[key] = value } }
        return out
    }
}
