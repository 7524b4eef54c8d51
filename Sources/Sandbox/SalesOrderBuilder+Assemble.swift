import Batch

extension SalesOrderBuilder {
    /// The stored order in Unleashed's response shape, from checked values (`previous` is the order a PUT replaces).
    func assemble(_ header: Header, _ references: References, lines: [JSONValue], number: String, input: FieldReader,
                  guid: String, previous: StoredRecord?) throws(APIError) -> JSONObject {
        let before = previous?.body
        let orderDate = try input.date("OrderDate")
            ?? before?["OrderDate"]?.stringValue.flatMap(DotNetDate.parseAny) ?? nowMs
        let requiredDate = try input.date("RequiredDate")
        let now = JSONValue.string(DotNetDate.format(milliseconds: nowMs))

        var order = JSONObject()
        order["SalesOrderLines"] = .array(lines)
        order["OrderNumber"] = .string(number)
        order["OrderDate"] = .string(DotNetDate.format(milliseconds: orderDate))
        order["RequiredDate"] = requiredDate.map { .string(DotNetDate.format(milliseconds: $0)) } ?? .null
        order["CompletedDate"] = header.status == "Completed" ? now : .null
        order["OrderStatus"] = .string(header.status)
        order["Customer"] = .object(references.customer.body.picking("Guid", "CustomerCode", "CustomerName", "CurrencyId"))
        order["Warehouse"] = .object(references.warehouse.body.picking("Guid", "WarehouseCode", "WarehouseName", "IsDefault"))
        for key in Self.textFields.map(\.key) { order[key] = header.texts[key].map(JSONValue.string) ?? .null }
        order["Currency"] = references.currency.map { .object($0.body.picking("Guid", "CurrencyCode", "Description")) } ?? .null
        order["ExchangeRate"] = .number(JSONNumber(header.exchangeRate))
        order["DiscountRate"] = .number(JSONNumber(try input.decimal("DiscountRate") ?? .zero))
        order["Tax"] = .object(references.tax.body.picking("Guid", "TaxCode", "Description", "TaxRate"))
        order["TaxRate"] = .number(JSONNumber(header.taxRate))
        order["SubTotal"] = .number(JSONNumber(header.subTotal))
        order["TaxTotal"] = .number(JSONNumber(header.taxTotal))
        order["Total"] = .number(JSONNumber(header.total))
        order["SalesPerson"] = references.salesPerson.map { .object($0.body.picking("Guid", "FullName", "Email")) } ?? .null
        order["CreatedBy"] = before?["CreatedBy"] ?? .string(user)
        order["CreatedOn"] = before?["CreatedOn"] ?? now
        order["LastModifiedBy"] = .string(user)
        order["LastModifiedOn"] = now
        order["Guid"] = .string(previous?.guid ?? guid)
        return order
    }
}
