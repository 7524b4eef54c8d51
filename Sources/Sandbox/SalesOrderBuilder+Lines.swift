import Batch
import UnleashedContract

extension SalesOrderBuilder {
    /// What every line of an order takes from its header.
    struct LineContext {
        var orderGuid: String
        var taxRate: ExactDecimal
        /// The order's tax code as the account spells it (a line's `XeroTaxCode` when it has no `LineTaxCode`).
        var taxCode: String
        var exchangeRate: ExactDecimal
        /// A line's `DueDate` when it sends none: the order's `RequiredDate`, else its `OrderDate`.
        var dueDate: Int64
    }

    /// The value of `LineType` on a charge line (delivery charges other integrations add; `LineNumber` 0, no product).
    static let chargeLineType = "Charge"

    /// Validates and builds `SalesOrderLines`, feeding each line's amounts to the money check.
    func buildLines(_ input: FieldReader, _ context: LineContext, money: inout MoneyCheck) throws(APIError) -> [JSONValue] {
        guard let value = input.object["SalesOrderLines"], !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw .invalid("SalesOrderLines must be an array.") }
        var seenNumbers: Set<String> = []
        var lines: [JSONValue] = []
        lines.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            guard let object = item.objectValue else {
                throw .invalid("SalesOrderLines[\(position)] must be an object.")
            }
            let probe = FieldReader(object, context: "SalesOrderLines[\(position)]: ")
            if let lineType = try probe.string("LineType"), !lineType.isEmpty {
                guard lineType.lowercased() == Self.chargeLineType.lowercased() else {
                    throw .invalid("SalesOrderLines[\(position)]: LineType '\(lineType)' is not known: leave it out (a product line) or use '\(Self.chargeLineType)'.")
                }
                guard allowsChargeLines else {
                    throw .invalid("SalesOrderLines[\(position)]: charge lines (LineType 'Charge') are added by Unleashed's own integrations; the sandbox does not accept them through the API (no recording shows the real API accepting one): send the charge as a line with a product.")
                }
                lines.append(.object(try buildChargeLine(probe, position: position, context, money: &money)))
                continue
            }
            guard let lineNumber = try probe.decimal("LineNumber") else {
                throw .invalid("SalesOrderLines[\(position)]: LineNumber is required.")
            }
            let numberText = lineNumber.normalized.description
            guard seenNumbers.insert(numberText).inserted else {
                throw .invalid("Line \(numberText): LineNumber is used by more than one line.")
            }
            let line = FieldReader(object, context: "Line \(numberText): ")
            lines.append(.object(try buildLine(line, number: lineNumber, context, money: &money)))
        }
        return lines
    }

    private func buildLine(_ line: FieldReader, number: ExactDecimal, _ context: LineContext,
                           money: inout MoneyCheck) throws(APIError) -> JSONObject {
        typealias Scale = RecordedShapes.Scale
        let numberText = number.normalized.description
        guard let productCode = try line.object("Product")?.string("ProductCode"), !productCode.isEmpty else {
            throw .invalid("Line \(numberText): Product code is required (Product.ProductCode).")
        }
        let quantity = try line.requiredDecimal("OrderQuantity")
        let unitPrice = try line.requiredDecimal("UnitPrice")
        let lineTotal = try line.requiredDecimal("LineTotal")
        let lineTax = try line.requiredDecimal("LineTax")
        let discount = try line.decimal("DiscountRate") ?? .zero
        if discount.isNegative || discount > ExactDecimal(1) {
            throw .invalid("Line \(numberText): DiscountRate must be between 0 and 1.")
        }
        let comments = try line.string("Comments", maxLength: Self.limit("SalesOrderLines[].Comments"))
        let dueDate = try line.date("DueDate") ?? context.dueDate
        guard let product = state[.products].record(code: productCode) else {
            throw .invalid("Line \(numberText): Product code '\(productCode)' was not found.")
        }
        let productFields = FieldReader(product.body)
        if try productFields.bool("IsSellable") == false {
            throw .invalid("Line \(numberText): Product '\(productCode)' is not sellable.")
        }
        var taxRate = context.taxRate
        var taxCode = context.taxCode
        var lineTaxCode: JSONValue = .null
        if let code = try line.string("LineTaxCode"), !code.isEmpty {
            let tax = try reference(.taxes, code, "Line \(numberText): Tax code")
            taxRate = try FieldReader(tax.body).decimal("TaxRate") ?? .zero
            taxCode = tax.code ?? code
            lineTaxCode = .string(taxCode)
        }
        try money.add(MoneyCheck.Line(
            number: numberText, quantity: quantity, unitPrice: unitPrice, discountRate: discount,
            lineTotal: lineTotal, lineTax: lineTax, taxRate: taxRate))

        let base = { (value: ExactDecimal, scale: Int) in
            RecordedShapes.baseCurrency(value, exchangeRate: context.exchangeRate, scale: scale)
        }
        var out = JSONObject()
        out["LineNumber"] = .number(JSONNumber(number))
        out["LineType"] = .null
        out["Product"] = RecordedShapes.nestedProduct(product)
        out["DueDate"] = .string(DotNetDate.format(milliseconds: dueDate))
        out["OrderQuantity"] = RecordedShapes.atScale(quantity, Scale.quantity)
        out["UnitPrice"] = RecordedShapes.atScale(unitPrice, Scale.quantity)
        out["DiscountRate"] = RecordedShapes.atScale(discount, Scale.quantity)
        out["LineTotal"] = RecordedShapes.atScale(lineTotal, Scale.lineTotal)
        out["Volume"] = .null
        out["Weight"] = .null
        out["Comments"] = comments.map(JSONValue.string) ?? .null
        out["AverageLandedPriceAtTimeOfSale"] = RecordedShapes.atScale(
            try productFields.decimal("AverageLandPrice") ?? .zero, Scale.landedPrice)
        out["TaxRate"] = RecordedShapes.atScale(taxRate, Scale.rate)
        out["LineTax"] = RecordedShapes.atScale(lineTax, Scale.total)
        out["XeroTaxCode"] = .string(taxCode)
        out["BCUnitPrice"] = base(unitPrice, Scale.quantity)
        out["BCLineTotal"] = base(lineTotal, Scale.total)
        out["BCLineTax"] = base(lineTax, Scale.total)
        out["LineTaxCode"] = lineTaxCode
        out["XeroSalesAccount"] = product.body["XeroSalesAccount"]?.stringValue.map(JSONValue.string) ?? .null
        out["SerialNumbers"] = .null
        out["BatchNumbers"] = .null
        out["Guid"] = .string(try line.string("Guid") ?? GuidMaker.derived(from: "\(context.orderGuid.lowercased())/line/\(numberText)"))
        out["LastModifiedOn"] = .string(DotNetDate.format(milliseconds: nowMs))
        return out
    }

    /// A charge line as Unleashed answers one: `LineNumber` 0, a product with the zero GUID, no code and
    /// the charge's description, amounts at 2 decimals, no `XeroTaxCode` and no `LastModifiedOn`.
    /// Its amounts are checked like any line's and count in the order's totals.
    private func buildChargeLine(_ line: FieldReader, position: Int, _ context: LineContext,
                                 money: inout MoneyCheck) throws(APIError) -> JSONObject {
        typealias Scale = RecordedShapes.Scale
        let label = "SalesOrderLines[\(position)] (charge)"
        let line = FieldReader(line.object, context: "\(label): ")
        if let number = try line.decimal("LineNumber"), !number.isZero {
            throw .invalid("\(label): a charge line has LineNumber 0 (got \(number)).")
        }
        let product = try line.object("Product")
        if let code = try product?.string("ProductCode"), !code.isEmpty {
            throw .invalid("\(label): a charge line has no product code (got '\(code)').")
        }
        guard let description = try product?.string("ProductDescription"), !description.isEmpty else {
            throw .invalid("\(label): the charge's description is required (Product.ProductDescription).")
        }
        let quantity = try line.requiredDecimal("OrderQuantity")
        let unitPrice = try line.requiredDecimal("UnitPrice")
        let lineTotal = try line.requiredDecimal("LineTotal")
        let lineTax = try line.requiredDecimal("LineTax")
        let discount = try line.decimal("DiscountRate") ?? .zero
        var taxRate = context.taxRate
        var lineTaxCode: JSONValue = .null
        if let code = try line.string("LineTaxCode"), !code.isEmpty {
            let tax = try reference(.taxes, code, "\(label): Tax code")
            taxRate = try FieldReader(tax.body).decimal("TaxRate") ?? .zero
            lineTaxCode = .string(tax.code ?? code)
        }
        try money.add(MoneyCheck.Line(number: "\(position) (charge)", quantity: quantity, unitPrice: unitPrice, discountRate: discount,
                                      lineTotal: lineTotal, lineTax: lineTax, taxRate: taxRate))
        let base = { (value: ExactDecimal) in
            RecordedShapes.baseCurrency(value, exchangeRate: context.exchangeRate, scale: Scale.charge)
        }
        var out = JSONObject()
        out["LineNumber"] = .number(JSONNumber(0))
        out["LineType"] = .string(Self.chargeLineType)
        out["Product"] = .object(JSONObject([
            ("Guid", .string(RecordedShapes.zeroGuid)), ("ProductCode", .null), ("ProductDescription", .string(description)),
        ]))
        out["DueDate"] = .string(DotNetDate.format(milliseconds: try line.date("DueDate") ?? context.dueDate))
        out["OrderQuantity"] = .number(JSONNumber(quantity))
        out["UnitPrice"] = RecordedShapes.atScale(unitPrice, Scale.charge)
        out["DiscountRate"] = .number(JSONNumber(discount))
        out["LineTotal"] = RecordedShapes.atScale(lineTotal, Scale.charge)
        out["Volume"] = .null
        out["Weight"] = .null
        out["Comments"] = try line.string("Comments", maxLength: Self.limit("SalesOrderLines[].Comments")).map(JSONValue.string) ?? .null
        out["AverageLandedPriceAtTimeOfSale"] = .null
        out["TaxRate"] = RecordedShapes.atScale(taxRate, Scale.rate)
        out["LineTax"] = RecordedShapes.atScale(lineTax, Scale.charge)
        out["XeroTaxCode"] = .null
        out["BCUnitPrice"] = base(unitPrice)
        out["BCLineTotal"] = base(lineTotal)
        out["BCLineTax"] = base(lineTax)
        out["LineTaxCode"] = lineTaxCode
        out["XeroSalesAccount"] = try line.string("XeroSalesAccount").map(JSONValue.string) ?? .null
        out["SerialNumbers"] = .null
        out["BatchNumbers"] = .null
        out["Guid"] = .string(try line.string("Guid") ?? GuidMaker.derived(from: "\(context.orderGuid.lowercased())/charge/\(position)"))
        out["LastModifiedOn"] = .null
        return out
    }
}
