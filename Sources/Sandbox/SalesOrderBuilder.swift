import Batch
import UnleashedContract

/// Validates a sales order body as Unleashed does and builds the stored (response-shaped) order.
///
/// Rules are checked in a fixed order and the first failure is returned, each with its own Description.
struct SalesOrderBuilder {
    let state: SandboxState
    let nowMs: Int64
    let user: String
    /// The number an order without `OrderNumber` gets (the store peeks it and advances its counter on success).
    let autoNumber: String
    /// Whether charge lines (`LineType: Charge`) are accepted: in a seed, as other integrations add them; never through the API.
    var allowsChargeLines = false

    /// Statuses a create may use; an update may also send `Deleted` (a soft delete by PUT).
    static let creatableStatuses = SalesOrderStatus.creatable.map(\.rawValue)
    /// Statuses whose orders may still be updated, deleted or completed (assumed, see UNLEASHED.md).
    static let modifiableStatuses = Set(SalesOrderStatus.allCases.filter(\.isModifiable).map { $0.rawValue.lowercased() })

    /// The header values every order must have, read and checked in Unleashed's order.
    struct Header {
        var customerCode: String
        var warehouseCode: String
        var status: String
        var exchangeRate: ExactDecimal
        var taxCode: String
        var taxRate: ExactDecimal
        var subTotal: ExactDecimal
        var taxTotal: ExactDecimal
        var total: ExactDecimal
        var orderNumber: String?
        var texts: [String: String]
    }

    /// The account records an order refers to.
    struct References {
        var customer: StoredRecord
        var warehouse: StoredRecord
        var tax: StoredRecord
        var currency: StoredRecord?
        var salesPerson: StoredRecord?
    }

    /// Builds the order for `POST` (existing == nil) or `PUT` (existing = the stored order).
    func build(body: JSONObject, guid: String, existing: StoredRecord?) throws(APIError) -> JSONObject {
        let input = FieldReader(body)
        if let bodyGuid = try input.string("Guid"), bodyGuid.lowercased() != guid.lowercased() {
            throw .invalid("The Guid in the body (\(bodyGuid)) does not match the Guid in the URL (\(guid)).")
        }
        let header = try readHeader(input, updating: existing != nil)
        let references = try resolveReferences(header, input)
        let dates = try readDates(input, previous: existing)
        var money = MoneyCheck()
        let context = LineContext(orderGuid: guid, taxRate: header.taxRate, taxCode: references.tax.code ?? header.taxCode,
                                  exchangeRate: header.exchangeRate, dueDate: dates.required ?? dates.order)
        let lines = try buildLines(input, context, money: &money)
        try money.checkTotals(subTotal: header.subTotal, taxTotal: header.taxTotal, total: header.total)
        let number = try resolveOrderNumber(header.orderNumber, guid: guid, existing: existing)
        return try assemble(header, references, lines: lines, dates: dates, number: number, input: input, guid: guid, previous: existing)
    }

    private func readHeader(_ input: FieldReader, updating: Bool) throws(APIError) -> Header {
        let customerCode = try input.object("Customer")?.string("CustomerCode")
        guard let customerCode, !customerCode.isEmpty else { throw .invalid("Customer code is required (Customer.CustomerCode).") }
        let warehouseCode = try input.object("Warehouse")?.string("WarehouseCode")
        guard let warehouseCode, !warehouseCode.isEmpty else { throw .invalid("Warehouse code is required (Warehouse.WarehouseCode).") }
        let status = try input.requiredString("OrderStatus", label: "Order status")
        let exchangeRate = try input.requiredDecimal("ExchangeRate")
        let taxInput = try input.object("Tax")
        guard let taxCode = try taxInput?.string("TaxCode"), !taxCode.isEmpty else { throw .invalid("Tax code is required (Tax.TaxCode).") }
        var givenRate = try input.decimal("TaxRate")
        let nestedRate = try taxInput?.decimal("TaxRate")
        if let givenRate, let nestedRate, !SalesOrderMoney.matches(nestedRate, givenRate) {
            throw .invalid("Tax.TaxRate \(nestedRate) does not match TaxRate \(givenRate): send one rate.")
        }
        if givenRate == nil { givenRate = nestedRate }
        guard let taxRate = givenRate else { throw .invalid("Tax rate is required (TaxRate or Tax.TaxRate).") }
        let subTotal = try input.requiredDecimal("SubTotal")
        let taxTotal = try input.requiredDecimal("TaxTotal")
        let total = try input.requiredDecimal("Total")
        let orderNumber = try input.string("OrderNumber", maxLength: Self.limit("OrderNumber"))
        let texts = try lengthCheckedTexts(input)

        let allowed = Self.creatableStatuses + (updating ? [SalesOrderStatus.deleted.rawValue] : [])
        guard let canonicalStatus = allowed.first(where: { $0.lowercased() == status.lowercased() }) else {
            throw .invalid("OrderStatus '\(status)' is not valid: use \(allowed.joined(separator: ", ")).")
        }
        guard !exchangeRate.isNegative, !exchangeRate.isZero else { throw .invalid("ExchangeRate must be greater than 0.") }
        return Header(customerCode: customerCode, warehouseCode: warehouseCode, status: canonicalStatus, exchangeRate: exchangeRate,
                      taxCode: taxCode, taxRate: taxRate, subTotal: subTotal, taxTotal: taxTotal, total: total,
                      orderNumber: orderNumber, texts: texts)
    }

    private func resolveReferences(_ header: Header, _ input: FieldReader) throws(APIError) -> References {
        let customer = try reference(.customers, header.customerCode, "Customer code")
        let warehouse = try reference(.warehouses, header.warehouseCode, "Warehouse code")
        let tax = try reference(.taxes, header.taxCode, "Tax code")
        let taxFields = FieldReader(tax.body)
        if try taxFields.bool("CanApplyToRevenue") == false {
            throw .invalid("Tax code '\(header.taxCode)' cannot be applied to revenue, so it cannot be used on a sales order.")
        }
        if let accountRate = try taxFields.decimal("TaxRate"), !SalesOrderMoney.matches(accountRate, header.taxRate) {
            throw .invalid("TaxRate \(header.taxRate) does not match the rate of tax code '\(header.taxCode)' (\(accountRate)).")
        }
        var currency = state[.currencies].records.first
        if let code = try input.object("Currency")?.string("CurrencyCode") {
            currency = try reference(.currencies, code, "Currency code")
        }
        var salesPerson: StoredRecord?
        if let email = try input.object("SalesPerson")?.string("Email") {
            salesPerson = try reference(.salespersons, email, "Sales person with email")
        }
        if let group = header.texts["SalesOrderGroup"] { _ = try reference(.salesOrderGroups, group, "Sales order group") }
        if let method = header.texts["DeliveryMethod"] { _ = try reference(.deliveryMethods, method, "Delivery method") }
        return References(customer: customer, warehouse: warehouse, tax: tax, currency: currency, salesPerson: salesPerson)
    }

    /// Free-text header fields with their documented maximum lengths (nil: no documented limit).
    static let textFields: [(key: String, max: Int?)] = [
        ("CustomerRef", limit("CustomerRef")), ("Comments", limit("Comments")), ("DeliveryMethod", limit("DeliveryMethod")),
        ("SalesOrderGroup", limit("SalesOrderGroup")), ("SourceId", limit("SourceId")),
        ("DeliveryInstruction", nil), ("DeliveryName", nil), ("DeliveryStreetAddress", nil), ("DeliveryStreetAddress2", nil),
        ("DeliverySuburb", nil), ("DeliveryCity", nil), ("DeliveryRegion", nil), ("DeliveryCountry", nil), ("DeliveryPostCode", nil),
    ]

    /// The limit of a sales-order field, from `UnleashedFieldCatalogue`.
    static func limit(_ field: String) -> Int? { UnleashedFieldCatalogue.maxLength(salesOrderField: field) }

    private func lengthCheckedTexts(_ input: FieldReader) throws(APIError) -> [String: String] {
        var texts: [String: String] = [:]
        for (key, max) in Self.textFields {
            if let text = try input.string(key, maxLength: max) { texts[key] = text }
        }
        return texts
    }

    /// The record `code` names in `resource`, or a 400 saying it does not exist.
    func reference(_ resource: Resource, _ code: String, _ label: String) throws(APIError) -> StoredRecord {
        guard let record = state[resource].record(code: code) else {
            throw .invalid("\(label) '\(code)' was not found.")
        }
        return record
    }

    private func resolveOrderNumber(_ requested: String?, guid: String, existing: StoredRecord?) throws(APIError) -> String {
        guard let requested, !requested.isEmpty else {
            return existing?.code ?? autoNumber
        }
        if let holder = state[.salesOrders].record(code: requested), holder.guid.lowercased() != guid.lowercased() {
            throw .invalid("Order number '\(requested)' already exists.")
        }
        return requested
    }
}

extension JSONObject {
    /// A copy holding only `keys` (those present), in that order.
    func picking(_ keys: String...) -> JSONObject { picking(keys) }
}

