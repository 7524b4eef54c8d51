import Batch

extension SalesOrderBuilder {
    /// Validates and builds `SalesOrderLines`, feeding each line's amounts to the money check.
    func buildLines(_ input: FieldReader, orderGuid: String, orderTaxRate: ExactDecimal, money: inout MoneyCheck) throws(APIError) -> [JSONValue] {
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
            guard let lineNumber = try probe.decimal("LineNumber") else {
                throw .invalid("SalesOrderLines[\(position)]: LineNumber is required.")
            }
            let numberText = lineNumber.normalized.description
            guard seenNumbers.insert(numberText).inserted else {
                throw .invalid("Line \(numberText): LineNumber is used by more than one line.")
            }
            let line = FieldReader(object, context: "Line \(numberText): ")
            lines.append(.object(try buildLine(line, number: lineNumber, orderGuid: orderGuid, orderTaxRate: orderTaxRate, money: &money)))
        }
        return lines
    }

    private func buildLine(_ line: FieldReader, number: ExactDecimal, orderGuid: String, orderTaxRate: ExactDecimal,
                           money: inout MoneyCheck) throws(APIError) -> JSONObject {
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
        guard let product = state[.products].record(code: productCode) else {
            throw .invalid("Line \(numberText): Product code '\(productCode)' was not found.")
        }
        if try FieldReader(product.body).bool("IsSellable") == false {
            throw .invalid("Line \(numberText): Product '\(productCode)' is not sellable.")
        }
        var taxRate = orderTaxRate
        var lineTaxCode: JSONValue = .null
        if let code = try line.string("LineTaxCode"), !code.isEmpty {
            let tax = try reference(.taxes, code, "Line \(numberText): Tax code")
            taxRate = try FieldReader(tax.body).decimal("TaxRate") ?? .zero
            lineTaxCode = .string(tax.code ?? code)
        }
        try money.add(MoneyCheck.Line(
            number: numberText, quantity: quantity, unitPrice: unitPrice, discountRate: discount,
            lineTotal: lineTotal, lineTax: lineTax, taxRate: taxRate))

        var out = JSONObject()
        out["LineNumber"] = .number(JSONNumber(number))
        out["Product"] = .object(product.body.picking("Guid", "ProductCode", "ProductDescription"))
        out["OrderQuantity"] = .number(JSONNumber(quantity))
        out["UnitPrice"] = .number(JSONNumber(unitPrice))
        out["DiscountRate"] = .number(JSONNumber(discount))
        out["LineTotal"] = .number(JSONNumber(lineTotal))
        out["LineTax"] = .number(JSONNumber(lineTax))
        out["LineTaxCode"] = lineTaxCode
        out["Comments"] = comments.map(JSONValue.string) ?? .null
        out["LastModifiedOn"] = .string(DotNetDate.format(milliseconds: nowMs))
        out["Guid"] = .string(try line.string("Guid") ?? GuidMaker.derived(from: "\(orderGuid.lowercased())/line/\(numberText)"))
        return out
    }
}
