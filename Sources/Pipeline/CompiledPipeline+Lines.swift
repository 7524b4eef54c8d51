import Batch
import Rules

/// Running sums of the computed line money.
struct MoneyTally {
    var subTotal = ExactDecimal.zero
    var taxTotal = ExactDecimal.zero
    /// False once some line's money could not be computed (the totals are then left out).
    var complete = true
}

/// Keys the engine writes itself, pre-encoded.
enum EncodedKeys {
    static let salesOrderLines = PayloadTemplate.encode("SalesOrderLines")
    static let lineNumber = PayloadTemplate.encode("LineNumber")
    static let lineTotal = PayloadTemplate.encode("LineTotal")
    static let lineTax = PayloadTemplate.encode("LineTax")
    static let subTotal = PayloadTemplate.encode("SubTotal")
    static let taxTotal = PayloadTemplate.encode("TaxTotal")
    static let total = PayloadTemplate.encode("Total")
}

extension CompiledPipeline {
    /// One line per element of `each` that passes `when`, numbered from 1, with its money.
    func planLines(_ spec: CompiledLines, into buffer: inout PayloadBuffer, count: inout Int, money: inout MoneyTally,
                   scratch values: inout [Value], _ ev: Evaluator) {
        ev.field = "lines.each"
        let list = ev.evaluate(spec.each)
        ev.field = ""
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
    private func planLine(_ spec: CompiledLines, _ item: Value, _ n: Int, into buffer: inout PayloadBuffer, count: inout Int,
                          money: inout MoneyTally, scratch values: inout [Value], _ ev: Evaluator) {
        ev.line = item
        if let when = spec.when, !ev.test(when) { return }
        ev.linePosition = count
        ev.evaluateFields(spec.body.table, into: &values)
        for (path, field) in spec.required where field.map({ values[$0].isNull }) ?? true {
            ev.problems.append(PlanProblem(
                severity: .error, code: ProblemCode.lineRequired,
                message: "\(ev.label): line \(count + 1) (\(spec.eachText)[\(n)]) has no \(path), which lines.required asks for"
                    + (field.map { " (rule \(spec.body.fields[$0].location): \(spec.body.fields[$0].source.text))" } ?? "") + ".",
                field: "SalesOrderLines[\(count)].\(path)"))
        }
        count += 1
        line(spec.body, values, number: count, into: &buffer, money: &money, ev)
        ev.linePosition = nil
    }

    /// `E-NO-LINES`: a new order without item lines would be a sales order of nothing, with zero totals.
    func noLinesProblem(_ spec: CompiledLines, _ ev: Evaluator) {
        ev.problems.append(PlanProblem(
            severity: .error, code: ProblemCode.noLines,
            message: "\(ev.label): the order has no item lines (\(spec.eachText) is empty or missing, or no element passes lines.when); "
                + "an Unleashed sales order needs at least one. Add the items in Ordermentum, or cancel the order.",
            field: "SalesOrderLines"))
    }

    private func notAList(_ spec: CompiledLines, _ list: Value, _ ev: Evaluator) {
        ev.problems.append(PlanProblem(
            severity: .warning, code: ProblemCode.linesNotList,
            message: "\(ev.label): \(spec.eachText) is \(list.kindName(ev.records)), not a list; the order has no item lines (\(spec.location)).",
            field: "SalesOrderLines"))
    }

    /// The freight line, appended when `when` holds.
    func planFreight(_ spec: CompiledFreight, into buffer: inout PayloadBuffer, count: inout Int, money: inout MoneyTally,
                     scratch values: inout [Value], _ ev: Evaluator) {
        ev.field = "freight.when"
        let applies = ev.test(spec.when)
        ev.field = ""
        guard applies else { return }
        ev.linePosition = count
        ev.evaluateFields(spec.body.table, into: &values)
        count += 1
        line(spec.body, values, number: count, into: &buffer, money: &money, ev)
        ev.linePosition = nil
    }

    /// A line: `LineNumber`, the mapped fields, then `LineTotal` and `LineTax`:
    /// LineTotal = round(qty × UnitPrice × (1 − DiscountRate)), LineTax = round(LineTotal × rate).
    func line(_ body: CompiledLineBody, _ values: [Value], number: Int, into buffer: inout PayloadBuffer,
              money: inout MoneyTally, _ ev: Evaluator) {
        buffer.beginObject()
        buffer.key(EncodedKeys.lineNumber)
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
            if let what = unreadableMoney(body, values, ev.records) { moneyProblem(ev, "line \(number): \(what)") }
            money.complete = false
            return
        }
        let places = totals.places
        let gross = quantity.multiplied(by: price)
        let net = discount.isZero ? gross : gross.flatMap { g in ExactDecimal(1).subtracting(discount).flatMap { g.multiplied(by: $0) } }
        guard let net else {
            moneyProblem(ev, "line \(number): quantity × price is out of range")
            money.complete = false
            return
        }
        let lineTotal = net.rounded(scale: places, rule: totals.rounding)
        buffer.key(EncodedKeys.lineTotal)
        buffer.decimal(lineTotal)
        ev.field = "tax_rate"
        let rateValue = ev.evaluate(body.taxRate)
        ev.field = ""
        guard let rate = rateValue.decimalValue(ev.records), let taxed = lineTotal.multiplied(by: rate) else {
            moneyProblem(ev, "line \(number): the tax rate \(rateValue.displayText(ev.records) ?? "null") is not a number (\(body.taxRateSource.location): \(body.taxRateSource.text))")
            money.complete = false
            return
        }
        let lineTax = taxed.rounded(scale: places, rule: totals.rounding)
        buffer.key(EncodedKeys.lineTax)
        buffer.decimal(lineTax)
        if let sub = money.subTotal.adding(lineTotal), let tax = money.taxTotal.adding(lineTax) {
            money.subTotal = sub
            money.taxTotal = tax
        } else {
            moneyProblem(ev, "the order's totals are out of range")
            money.complete = false
        }
    }

    /// Says which of `OrderQuantity`, `UnitPrice`, `DiscountRate` has a value that is not an exact decimal.
    private func unreadableMoney(_ body: CompiledLineBody, _ values: [Value], _ records: RecordPair) -> String? {
        for (name, index) in [("OrderQuantity", body.quantity), ("UnitPrice", body.unitPrice), ("DiscountRate", body.discountRate)] {
            guard let index, !values[index].isNull, values[index].decimalValue(records) == nil else { continue }
            let shown = values[index].displayText(records) ?? values[index].kindName(records)
            return "\(name) \(shown) is not an exact decimal, so the line's money and the order's totals cannot be computed"
        }
        return nil
    }

    func moneyProblem(_ ev: Evaluator, _ what: String) {
        ev.problems.append(PlanProblem(severity: .error, code: ProblemCode.money, message: "\(ev.label): \(what).",
                                       field: ev.fieldPath.isEmpty ? nil : ev.fieldPath))
    }

    /// Appends SubTotal, TaxTotal and Total, and warns when Ordermentum's own total differs.
    func appendTotals(_ buffer: inout PayloadBuffer, money: MoneyTally, _ ev: Evaluator) {
        guard money.complete, let total = money.subTotal.adding(money.taxTotal) else { return }
        let places = totals.places
        let sub = money.subTotal.rounded(scale: places, rule: totals.rounding)
        let tax = money.taxTotal.rounded(scale: places, rule: totals.rounding)
        let all = total.rounded(scale: places, rule: totals.rounding)
        buffer.key(EncodedKeys.subTotal)
        buffer.decimal(sub)
        buffer.key(EncodedKeys.taxTotal)
        buffer.decimal(tax)
        buffer.key(EncodedKeys.total)
        buffer.decimal(all)
        guard let compareTo = totals.compareTo else { return }
        ev.field = "totals.compare_to"
        let theirs = ev.evaluate(compareTo).decimalValue(ev.records)
        ev.field = ""
        if let theirs, theirs != all {
            ev.problems.append(PlanProblem(
                severity: .warning, code: ProblemCode.totalMismatch,
                message: "\(ev.label): Ordermentum's total \(theirs) differs from the computed Total \(all) (SubTotal \(sub) + TaxTotal \(tax)); Unleashed gets \(all).",
                field: "Total"))
        }
    }
}
