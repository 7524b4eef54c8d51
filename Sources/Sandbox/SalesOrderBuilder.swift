import Batch

/// Validates a sales order body as Unleashed does and builds the stored (response-shaped) order.
///
/// Rules are checked in a fixed order and the first failure is returned, each with its own Description.
struct SalesOrderBuilder {
    let state: SandboxState
    let nowMs: Int64
    let user: String
    /// The number an order without `OrderNumber` gets (the store peeks it and advances its counter on success).
    let autoNumber: String

    /// Statuses a create may use; an update may also send `Deleted` (a soft delete by PUT).
    static let creatableStatuses = ["Parked", "Placed", "Backordered", "Completed"]
    /// Statuses whose orders may still be updated, deleted or completed (assumed, see UNLEASHED.md).
    static let modifiableStatuses: Set<String> = ["parked", "placed", "backordered"]

    /// Builds the order for `POST` (existing == nil) or `PUT` (existing = the stored order).
    func build(body: JSONObject, guid: String, existing: StoredRecord?) throws(APIError) -> JSONObject {
        let input = FieldReader(body)
        if let bodyGuid = try input.string("Guid"), bodyGuid.lowercased() != guid.lowercased() {
            throw .invalid("The Guid in the body (\(bodyGuid)) does not match the Guid in the URL (\(guid)).")
        }
        let customerCode = try input.object("Customer")?.string("CustomerCode")
        guard let customerCode, !customerCode.isEmpty else { throw .invalid("Customer code is required (Customer.CustomerCode).") }
        let warehouseCode = try input.object("Warehouse")?.string("WarehouseCode")
        guard let warehouseCode, !warehouseCode.isEmpty else { throw .invalid("Warehouse code is required (Warehouse.WarehouseCode).") }
        let status = try input.requiredString("OrderStatus", label: "Order status")
        let exchangeRate = try input.requiredDecimal("ExchangeRate")
        let taxInput = try input.object("Tax")
        guard let taxCode = try taxInput?.string("TaxCode"), !taxCode.isEmpty else { throw .invalid("Tax code is required (Tax.TaxCode).") }
        var givenRate = try input.decimal("TaxRate")
        if givenRate == nil, let taxInput { givenRate = try taxInput.decimal("TaxRate") }
        guard let taxRate = givenRate else {
            throw .invalid("Tax rate is required (TaxRate or Tax.TaxRate).")
        }
        let subTotal = try input.requiredDecimal("SubTotal")
        let taxTotal = try input.requiredDecimal("TaxTotal")
        let total = try input.requiredDecimal("Total")

        let orderNumber = try input.string("OrderNumber", maxLength: 20)
        let texts = try lengthCheckedTexts(input)

        let allowed = Self.creatableStatuses + (existing == nil ? [] : ["Deleted"])
        guard let canonicalStatus = allowed.first(where: { $0.lowercased() == status.lowercased() }) else {
            throw .invalid("OrderStatus '\(status)' is not valid: use \(allowed.joined(separator: ", ")).")
        }
        guard !exchangeRate.isNegative, !exchangeRate.isZero else { throw .invalid("ExchangeRate must be greater than 0.") }

        let customer = try reference(.customers, customerCode, "Customer code")
        let warehouse = try reference(.warehouses, warehouseCode, "Warehouse code")
        let tax = try reference(.taxes, taxCode, "Tax code")
        if try FieldReader(tax.body).bool("CanApplyToRevenue") == false {
            throw .invalid("Tax code '\(taxCode)' cannot be applied to revenue, so it cannot be used on a sales order.")
        }
        if let accountRate = try FieldReader(tax.body).decimal("TaxRate"), !accountRate.equalsExactly(taxRate) {
            throw .invalid("TaxRate \(taxRate) does not match the rate of tax code '\(taxCode)' (\(accountRate)).")
        }
        var currency = state[.currencies].records.first
        if let code = try input.object("Currency")?.string("CurrencyCode") {
            currency = try reference(.currencies, code, "Currency code")
        }
        var salesPerson: StoredRecord?
        if let email = try input.object("SalesPerson")?.string("Email") {
            salesPerson = try reference(.salespersons, email, "Sales person with email")
        }
        if let group = texts["SalesOrderGroup"] { _ = try reference(.salesOrderGroups, group, "Sales order group") }
        if let method = texts["DeliveryMethod"] { _ = try reference(.deliveryMethods, method, "Delivery method") }

        var money = MoneyCheck()
        let lines = try buildLines(input, orderGuid: guid, orderTaxRate: taxRate, money: &money)
        try money.checkTotals(subTotal: subTotal, taxTotal: taxTotal, total: total)

        let number = try resolveOrderNumber(orderNumber, guid: guid, existing: existing)
        let orderDate = try input.date("OrderDate") ?? existing.flatMap { $0.body["OrderDate"]?.stringValue.flatMap(DotNetDate.parseAny) } ?? nowMs
        let requiredDate = try input.date("RequiredDate")

        var order = JSONObject()
        order["SalesOrderLines"] = .array(lines)
        order["OrderNumber"] = .string(number)
        order["OrderDate"] = .string(DotNetDate.format(milliseconds: orderDate))
        order["RequiredDate"] = requiredDate.map { .string(DotNetDate.format(milliseconds: $0)) } ?? .null
        order["CompletedDate"] = canonicalStatus == "Completed" ? .string(DotNetDate.format(milliseconds: nowMs)) : .null
        order["OrderStatus"] = .string(canonicalStatus)
        order["Customer"] = .object(customer.body.picking("Guid", "CustomerCode", "CustomerName", "CurrencyId"))
        order["Warehouse"] = .object(warehouse.body.picking("Guid", "WarehouseCode", "WarehouseName", "IsDefault"))
        for key in Self.textFields.map(\.key) { order[key] = texts[key].map(JSONValue.string) ?? .null }
        order["Currency"] = currency.map { .object($0.body.picking("Guid", "CurrencyCode", "Description")) } ?? .null
        order["ExchangeRate"] = .number(JSONNumber(exchangeRate))
        order["DiscountRate"] = .number(JSONNumber(try input.decimal("DiscountRate") ?? .zero))
        order["Tax"] = .object(tax.body.picking("Guid", "TaxCode", "Description", "TaxRate"))
        order["TaxRate"] = .number(JSONNumber(taxRate))
        order["SubTotal"] = .number(JSONNumber(subTotal))
        order["TaxTotal"] = .number(JSONNumber(taxTotal))
        order["Total"] = .number(JSONNumber(total))
        order["SalesPerson"] = salesPerson.map { .object($0.body.picking("Guid", "FullName", "Email")) } ?? .null
        order["CreatedBy"] = existing?.body["CreatedBy"] ?? .string(user)
        order["CreatedOn"] = existing?.body["CreatedOn"] ?? .string(DotNetDate.format(milliseconds: nowMs))
        order["LastModifiedBy"] = .string(user)
        order["LastModifiedOn"] = .string(DotNetDate.format(milliseconds: nowMs))
        order["Guid"] = .string(existing?.guid ?? guid)
        return order
    }

    /// Free-text header fields with their documented maximum lengths (nil: no documented limit).
    static let textFields: [(key: String, max: Int?)] = [
        ("CustomerRef", 500), ("Comments", 2048), ("DeliveryMethod", 50), ("SalesOrderGroup", 50), ("SourceId", 500),
        ("DeliveryInstruction", nil), ("DeliveryName", nil), ("DeliveryStreetAddress", nil), ("DeliveryStreetAddress2", nil),
        ("DeliverySuburb", nil), ("DeliveryCity", nil), ("DeliveryRegion", nil), ("DeliveryCountry", nil), ("DeliveryPostCode", nil),
    ]

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
    func picking(_ keys: String...) -> JSONObject {
        var out = JSONObject()
        for key in keys { if let value = self[key] { out[key] = value } }
        return out
    }
}

extension ExactDecimal {
    /// Numeric equality whatever the scale (`0.1` equals `0.10`).
    func equalsExactly(_ other: ExactDecimal) -> Bool {
        subtracting(other)?.isZero ?? false
    }
}
