import Batch
import Rules
import UnleashedContract

/// Running sums of the computed line money (the Unleashed contract's `SalesOrderTotals`).
struct MoneyTally {
    var totals = SalesOrderTotals()
    /// False once some line's money could not be computed (the totals are then left out, and
    /// the order carries an `E-MONEY` error saying why).
    var complete = true
}

/// Keys the engine writes itself, pre-encoded.
enum EncodedKeys {
    static let salesOrderLines = JSONWriter.encodedKey("SalesOrderLines")
    static let lineNumber = JSONWriter.encodedKey("LineNumber")
    static let lineTotal = JSONWriter.encodedKey("LineTotal")
    static let lineTax = JSONWriter.encodedKey("LineTax")
    static let subTotal = JSONWriter.encodedKey("SubTotal")
    static let taxTotal = JSONWriter.encodedKey("TaxTotal")
    static let total = JSONWriter.encodedKey("Total")
}

extension CompiledPipeline {
    /// One line per element of `each` that passes `when`, numbered from 1, with its money.
    func planLines(_ spec: CompiledLines, into buffer: inout JSONWriter, count: inout Int, money: inout MoneyTally,
                   scratch values: inout [Value], _ ev: Evaluator) {
        let list = ev.withField("lines.each") { ev.evaluate(spec.each) }
        switch list {
        case .null, .omit:
            break
        case .node(let slot, let i):
            if let record = ev.records.record(slot), record.kind(i) == .array {
                for (n, element) in record.elements(i).enumerated() {
                    planLine(spec, Value.read(record, slot, element), n, into: &buffer, count: &count, money: &money, scratch: &values, ev)
                }
            } else {
                notAList(spec, list, ev)
            }
        default:
            if let items = list.listValue(ev.records) {
                for (n, item) in items.enumerated() {
                    planLine(spec, item, n, into: &buffer, count: &count, money: &money, scratch: &values, ev)
                }
            } else {
                notAList(spec, list, ev)
            }
        }
        ev.line = .null
    }

    /// One element of `each`: filtered by `when`, checked for required fields, written with its money.
    private func planLine(_ spec: CompiledLines, _ item: Value, _ n: Int, into buffer: inout JSONWriter, count: inout Int,
                          money: inout MoneyTally, scratch values: inout [Value], _ ev: Evaluator) {
        ev.line = item
        if let when = spec.when, !ev.withField("lines.when", { ev.test(when) }) { return }
        let position = count
        count += 1
        ev.withLine(at: position) {
            ev.evaluateFields(spec.body.table, into: &values)
            requiredProblems(spec, values, element: n, position: position, ev)
            line(spec.body, values, number: position + 1, into: &buffer, money: &money, ev)
        }
    }

    /// `E-LINE-REQUIRED` for each field of `lines.required` the line at `position` (element `n`
    /// of `each`) has no value for.
    private func requiredProblems(_ spec: CompiledLines, _ values: [Value], element n: Int, position count: Int, _ ev: Evaluator) {
        for (r, (path, field)) in spec.required.enumerated() where field.map({ values[$0].isNull }) ?? true {
            let rule = field.map { " (rule \(spec.body.fields[$0].location): \(spec.body.fields[$0].source.text))" } ?? ""
            // A value that is there but could not be read ("1,234.50", 1e999): show it.
            let unread = spec.requiredInputs[r].lazy.compactMap { input -> String? in
                let value = ev.evaluate(input.value)
                guard !value.isNull, !self.isEmptyText(value, ev) else { return nil }
                let shown = value.displayText(ev.records).map { value.decimalValue(ev.records) == nil && value.textValue(ev.records) != nil ? "\"\($0.prefix(60))\"" : String($0.prefix(60)) }
                    ?? value.kindName(ev.records)
                return "\(input.text) is \(shown)"
            }.first
            let message = unread.map { "line \(count + 1) (\(spec.eachText)[\(n)]): \(path) could not be read from the order: \($0)\(rule); "
                + "correct the value in Ordermentum (a plain decimal like 1234.50) or the rule" }
                ?? "line \(count + 1) (\(spec.eachText)[\(n)]) has no \(path), which lines.required asks for\(rule)"
            ev.problems.append(PlanProblem(
                .lineRequired, message + ".",
                field: "SalesOrderLines[\(count)].\(path)", rule: field.map { spec.body.fields[$0].location } ?? spec.location))
        }
    }

    private func isEmptyText(_ value: Value, _ ev: Evaluator) -> Bool {
        value.textValue(ev.records).map { $0.isEmpty } ?? false
    }

    /// `E-NO-LINES`: a new order without item lines would be a sales order of nothing, with zero totals.
    func noLinesProblem(_ spec: CompiledLines, _ ev: Evaluator) {
        ev.problems.append(PlanProblem(
            .noLines, "the order has no item lines (\(spec.eachText) is empty or missing, or no element passes lines.when); "
                + "an Unleashed sales order needs at least one. Add the items in Ordermentum, or cancel the order.",
            field: "SalesOrderLines", rule: spec.location))
    }

    private func notAList(_ spec: CompiledLines, _ list: Value, _ ev: Evaluator) {
        ev.problems.append(PlanProblem(
            .linesNotList, "\(spec.eachText) is \(list.kindName(ev.records)), not a list; the order has no item lines (\(spec.location)).",
            field: "SalesOrderLines", rule: spec.eachLocation))
    }

    /// The freight line, appended when `when` holds.
    func planFreight(_ spec: CompiledFreight, into buffer: inout JSONWriter, count: inout Int, money: inout MoneyTally,
                     scratch values: inout [Value], _ ev: Evaluator) {
        guard ev.withField("freight.when", { ev.test(spec.when) }) else { return }
        let position = count
        count += 1
        ev.withLine(at: position) {
            ev.evaluateFields(spec.body.table, into: &values)
            line(spec.body, values, number: position + 1, into: &buffer, money: &money, ev)
        }
    }

    /// A line: `LineNumber`, the mapped fields, then `LineTotal` and `LineTax`:
    /// LineTotal = round(qty × UnitPrice × (1 − DiscountRate)), LineTax = round(LineTotal × rate).
    func line(_ body: CompiledLineBody, _ values: [Value], number: Int, into buffer: inout JSONWriter,
              money: inout MoneyTally, _ ev: Evaluator) {
        buffer.beginObject()
        buffer.key(encoded: EncodedKeys.lineNumber)
        buffer.int(number)
        body.template.write(values, into: &buffer, ev.records)
        defer { buffer.endObject() }
        func decimal(_ index: Int?) -> ExactDecimal? {
            guard let index else { return nil }
            return values[index].decimalValue(ev.records)
        }
        guard let quantity = decimal(body.quantity), let price = decimal(body.unitPrice),
              let discount = body.discountRate.map({ values[$0].isNull ? .zero : decimal($0) }) ?? .zero else {
            // A missing quantity or price is reported by `lines.required`; one that is there but is
            // not an exact decimal (`1e300`, text) is reported here, since it leaves the totals out.
            if let (what, field) = unreadableMoney(body, values, ev.records) {
                moneyProblem(ev, "line \(number): \(what)", rule: body.fields[field].location)
            }
            money.complete = false
            return
        }
        if quantity.isNegative {
            ev.problems.append(PlanProblem(
                .negativeQuantity, "line \(number): OrderQuantity is \(quantity); a sales order ships goods, and a return is a credit note in Unleashed. "
                    + "Correct the quantity in Ordermentum, or raise a credit in Unleashed.",
                field: "SalesOrderLines[\(number - 1)].OrderQuantity", rule: body.location(of: body.quantity)))
        }
        if SalesOrderMoney.largestQuantity < quantity {
            moneyProblem(ev, "line \(number): OrderQuantity \(quantity) is beyond what omsync sends (at most \(SalesOrderMoney.largestQuantity)); "
                         + "a quantity this large is wrong data: correct it in Ordermentum", field: "SalesOrderLines[\(number - 1)].OrderQuantity",
                         rule: body.location(of: body.quantity))
            money.complete = false
            return
        }
        // The Unleashed contract's money rule, the one its validation applies: to the cent, half-up.
        guard let lineTotal = SalesOrderMoney.lineTotal(quantity: quantity, unitPrice: price, discountRate: discount) else {
            let discounted = discount.isZero ? "" : " × (1 − DiscountRate \(discount))"
            moneyProblem(ev, "line \(number): LineTotal = OrderQuantity \(quantity) × UnitPrice \(price)\(discounted) is too large to compute exactly "
                         + "(amounts must fit in 38 digits, 2 after the point); check the line's quantity and price", field: "SalesOrderLines[\(number - 1)].LineTotal",
                         rule: body.location(of: body.unitPrice))
            money.complete = false
            return
        }
        buffer.key(encoded: EncodedKeys.lineTotal)
        buffer.decimal(lineTotal)
        let rateValue = ev.withField("tax_rate") { ev.evaluate(body.taxRate) }
        if let rate = rateValue.decimalValue(ev.records), rate.isNegative {
            moneyProblem(ev, "line \(number): the tax rate \(rate) is negative (\(body.taxRateSource.location): \(body.taxRateSource.text)); "
                         + "a tax rate is a fraction from 0 (0.1 for 10 % GST): correct the setting or the rule", field: "SalesOrderLines[\(number - 1)].LineTax",
                         rule: body.taxRateSource.location)
            money.complete = false
            return
        }
        guard let rate = rateValue.decimalValue(ev.records) else {
            moneyProblem(ev, "line \(number): the tax rate \(rateValue.displayText(ev.records) ?? "null") is not a number (\(body.taxRateSource.location): \(body.taxRateSource.text))",
                         rule: body.taxRateSource.location)
            money.complete = false
            return
        }
        guard let lineTax = SalesOrderMoney.lineTax(lineTotal: lineTotal, rate: rate) else {
            moneyProblem(ev, "line \(number): LineTax = LineTotal \(lineTotal) × tax rate \(rate) is too large to compute exactly "
                         + "(\(body.taxRateSource.location): \(body.taxRateSource.text))", field: "SalesOrderLines[\(number - 1)].LineTax",
                         rule: body.taxRateSource.location)
            money.complete = false
            return
        }
        buffer.key(encoded: EncodedKeys.lineTax)
        buffer.decimal(lineTax)
        guard money.complete else { return }
        if !money.totals.add(lineTotal: lineTotal, lineTax: lineTax) {
            moneyProblem(ev, "SubTotal or TaxTotal: the sum of the lines up to line \(number) (LineTotal \(lineTotal), LineTax \(lineTax)) "
                         + "is too large to compute exactly; split the order or check its quantities and prices", field: "SubTotal",
                         rule: totals.location)
            money.complete = false
        }
    }

    /// Says which of `OrderQuantity`, `UnitPrice`, `DiscountRate` has a value that is not an
    /// exact decimal, and the index of its field.
    private func unreadableMoney(_ body: CompiledLineBody, _ values: [Value], _ records: RecordPair) -> (String, Int)? {
        for (name, index) in [("OrderQuantity", body.quantity), ("UnitPrice", body.unitPrice), ("DiscountRate", body.discountRate)] {
            guard let index, !values[index].isNull, values[index].decimalValue(records) == nil else { continue }
            let shown = values[index].displayText(records) ?? values[index].kindName(records)
            return ("\(name) \(shown) is not an exact decimal, so the line's money and the order's totals cannot be computed", index)
        }
        return nil
    }

    /// `E-MONEY` about `field` (default: the field being computed), produced by the rule at `rule`.
    func moneyProblem(_ ev: Evaluator, _ what: String, field: String? = nil, rule: SourceLocation?) {
        ev.problems.append(PlanProblem(.money, "\(what).", field: field ?? (ev.fieldPath.isEmpty ? nil : ev.fieldPath), rule: rule))
    }

    /// Appends SubTotal, TaxTotal and Total, and warns when Ordermentum's own total differs.
    /// Lines are already to the cent, so the sums are too: nothing is rounded here.
    func appendTotals(_ buffer: inout JSONWriter, money: MoneyTally, _ ev: Evaluator) {
        guard money.complete, let sub = money.totals.subTotal, let tax = money.totals.taxTotal else { return }
        guard let all = money.totals.total else {
            moneyProblem(ev, "Total = SubTotal \(sub) + TaxTotal \(tax) is too large to compute exactly; split the order or check its quantities and prices",
                         field: "Total", rule: totals.location)
            return
        }
        if SalesOrderMoney.largestAmount < max(sub, all) {
            moneyProblem(ev, "Total \(all) (SubTotal \(sub) + TaxTotal \(tax)) is beyond what omsync sends (at most \(SalesOrderMoney.largestAmount)); "
                         + "a quantity or price is wrong: check the order's lines in Ordermentum", field: "Total", rule: totals.location)
            return
        }
        let theirs = totals.compareTo.flatMap { compareTo in ev.withField("totals.compare_to") { ev.evaluate(compareTo).decimalValue(ev.records) } }
        if let theirs, let absurd = SalesOrderMoney.absurdTotal(all, comparedTo: theirs) {
            moneyProblem(ev, "\(absurd) (SubTotal \(sub) + TaxTotal \(tax)): a quantity or price is wrong; check the order's lines in Ordermentum",
                         field: "Total", rule: totals.compareSource?.location ?? totals.location)
            return
        }
        buffer.key(encoded: EncodedKeys.subTotal)
        buffer.decimal(sub)
        buffer.key(encoded: EncodedKeys.taxTotal)
        buffer.decimal(tax)
        buffer.key(encoded: EncodedKeys.total)
        buffer.decimal(all)
        if let theirs, theirs != all {
            ev.problems.append(PlanProblem(
                .totalMismatch, "Ordermentum's total \(theirs) differs from the computed Total \(all) (SubTotal \(sub) + TaxTotal \(tax)); Unleashed gets \(all).",
                field: "Total", rule: totals.compareSource?.location ?? totals.location))
        }
    }
}
