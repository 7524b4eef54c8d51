import Batch
import UnleashedContract

extension SalesOrderBuilder {
    /// An order's dates in milliseconds: `OrderDate` (default: the one a PUT replaces, else now) and `RequiredDate`.
    struct Dates {
        var order: Int64
        var required: Int64?
    }

    func readDates(_ input: FieldReader, previous: StoredRecord?) throws(APIError) -> Dates {
        let orderDate = try input.date("OrderDate")
            ?? previous?.body["OrderDate"]?.stringValue.flatMap(DotNetDate.parseAny) ?? nowMs
        return Dates(order: orderDate, required: try input.date("RequiredDate"))
    }

    /// The stored order in Unleashed's response shape (the 2020 field set, in the recorded order),
    /// from checked values (`previous` is the order a PUT replaces).
    func assemble(_ header: Header, _ references: References, lines: [JSONValue], dates: Dates, number: String,
                  input: FieldReader, guid: String, previous: StoredRecord?) throws(APIError) -> JSONObject {
        typealias Scale = RecordedShapes.Scale
        let before = previous?.body
        let now = JSONValue.string(DotNetDate.format(milliseconds: nowMs))
        let date = { (ms: Int64) in JSONValue.string(DotNetDate.format(milliseconds: ms)) }
        let base = { (value: ExactDecimal) in
            RecordedShapes.baseCurrency(value, exchangeRate: header.exchangeRate, scale: Scale.total)
        }
        let text = { (key: String) in header.texts[key].map(JSONValue.string) ?? .null }

        var order = JSONObject()
        order["SalesOrderLines"] = .array(lines)
        order["OrderNumber"] = .string(number)
        order["OrderDate"] = date(dates.order)
        order["RequiredDate"] = dates.required.map(date) ?? .null
        order["CompletedDate"] = header.status == SalesOrderStatus.completed.rawValue ? now : .null
        order["OrderStatus"] = .string(header.status)
        order["Customer"] = RecordedShapes.nestedCustomer(references.customer, currencies: state[.currencies])
        order["CustomerRef"] = text("CustomerRef")
        order["Comments"] = text("Comments")
        order["Warehouse"] = RecordedShapes.nestedWarehouse(references.warehouse)
        order["ReceivedDate"] = .null
        for key in Self.textFields.map(\.key) where key.hasPrefix("Delivery") && key != "DeliveryMethod" { order[key] = text(key) }
        order["Currency"] = references.currency.map(RecordedShapes.nestedCurrency) ?? .null
        order["ExchangeRate"] = RecordedShapes.atScale(header.exchangeRate, Scale.rate)
        order["DiscountRate"] = RecordedShapes.atScale(try input.decimal("DiscountRate") ?? .zero, Scale.quantity)
        order["Tax"] = RecordedShapes.nestedTax(references.tax)
        order["TaxRate"] = RecordedShapes.atScale(header.taxRate, Scale.rate)
        order["XeroTaxCode"] = .string(references.tax.code ?? header.taxCode)
        order["SubTotal"] = RecordedShapes.atScale(header.subTotal, Scale.total)
        order["TaxTotal"] = RecordedShapes.atScale(header.taxTotal, Scale.total)
        order["Total"] = RecordedShapes.atScale(header.total, Scale.total)
        // The sandbox keeps no volumes or weights: Unleashed writes 0.000 when the lines have none.
        order["TotalVolume"] = RecordedShapes.atScale(.zero, Scale.total)
        order["TotalWeight"] = RecordedShapes.atScale(.zero, Scale.total)
        order["BCSubTotal"] = base(header.subTotal)
        order["BCTaxTotal"] = base(header.taxTotal)
        order["BCTotal"] = base(header.total)
        // No payment terms in the sandbox: payment is due on the order date.
        order["PaymentDueDate"] = date(dates.order)
        order["AllocateProduct"] = .bool(true)
        order["SalesOrderGroup"] = text("SalesOrderGroup")
        order["DeliveryMethod"] = text("DeliveryMethod")
        order["SalesPerson"] = references.salesPerson.map(RecordedShapes.nestedSalesPerson) ?? .null
        order["SendAccountingJournalOnly"] = .bool(false)
        order["SourceId"] = text("SourceId")
        order["CreatedBy"] = before?["CreatedBy"] ?? .string(user)
        order["CreatedOn"] = before?["CreatedOn"] ?? now
        order["LastModifiedBy"] = .string(user)
        order["Guid"] = .string(previous?.guid ?? guid)
        order["LastModifiedOn"] = now
        return order
    }
}
