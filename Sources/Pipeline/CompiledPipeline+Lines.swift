import Batch
import Rules

/// Running sums of the computed line money.
struct MoneyTally {
    var subTotal = ExactDecimal.zero
    var taxTotal = ExactDecimal.zero
    /// False once some line's money could not be computed (the totals are then left out).
    var complete = true
}

extension CompiledPipeline {
    /// One line per element of `each` that passes `when`, numbered from 1, with its money.
    func planLines(_ spec: CompiledLines, into lines: inout [Payload], money: inout MoneyTally, _ ev: inout Evaluator) {
        ev.field = "lines.each"
        let list = ev.evaluate(spec.each)
        ev.field = ""
        var items: [Value] = []
        switch list {
        case .null, .omit:
            break
        case .node(let slot, let i) where ev.records.record(slot)?.kind(i) == .array:
            if let record = ev.records.record(slot) {
                items = record.elements(i).map { Value.read(record, slot, $0) }
            }
        default:
            if let l = list.listValue(ev.records) {
                items = l
            } else {
                ev.problems.append(PlanProblem(
                    severity: .warning, code: ProblemCode.linesNotList,
                    message: "\(ev.label): \(spec.eachText) is \(list.kindName(ev.records)), not a list; the order has no item lines (\(spec.location)).",
                    field: "SalesOrderLines"))
            }
        }
        for (n, item) in items.enumerated() {
            ev.line = item
            if let when = spec.when, !ev.truthy(ev.evaluate(when)) { continue }
            ev.linePosition = lines.count
            let values = ev.evaluateFields(spec.body.fields)
            for (path, field) in spec.required where field.map({ values[$0] == nil }) ?? true {
                ev.problems.append(PlanProblem(
                    severity: .error, code: ProblemCode.lineRequired,
                    message: "\(ev.label): line \(lines.count + 1) (\(spec.eachText)[\(n)]) has no \(path), which lines.required asks for"
                        + (field.map { " (rule \(spec.body.fields[$0].location): \(spec.body.fields[$0].source.text))" } ?? "") + ".",
                    field: "SalesOrderLines[\(lines.count)].\(path)"))
            }
            lines.append(line(spec.body, values, number: lines.count + 1, money: &money, &ev))
            ev.linePosition = nil
        }
        ev.line = .null
    }

    /// The freight line, appended when `when` holds.
    func planFreight(_ spec: CompiledFreight, into lines: inout [Payload], money: inout MoneyTally, _ ev: inout Evaluator) {
        ev.field = "freight.when"
        let applies = ev.truthy(ev.evaluate(spec.when))
        ev.field = ""
        guard applies else { return }
        ev.linePosition = lines.count
        let values = ev.evaluateFields(spec.body.fields)
        lines.append(line(spec.body, values, number: lines.count + 1, money: &money, &ev))
        ev.linePosition = nil
    }

    /// A line payload: `LineNumber`, the mapped fields, then `LineTotal` and `LineTax`:
    /// LineTotal = round(qty × UnitPrice × (1 − DiscountRate)), LineTax = round(LineTotal × rate).
    func line(_ body: CompiledLineBody, _ values: [Payload?], number: Int, money: inout MoneyTally,
              _ ev: inout Evaluator) -> Payload {
        var members = [PayloadMember(key: "LineNumber", value: .decimal(ExactDecimal(number)))]
        members.append(contentsOf: body.template.build(values))
        func decimal(_ index: Int?) -> ExactDecimal? {
            guard let index, let value = values[index] else { return nil }
            return Self.decimal(value)
        }
        let discount = decimal(body.discountRate) ?? .zero
        guard let quantity = decimal(body.quantity), let price = decimal(body.unitPrice) else {
            money.complete = false
            return .object(members)
        }
        ev.field = "tax_rate"
        let rateValue = ev.evaluate(body.taxRate)
        ev.field = ""
        let rate = rateValue.decimalValue(ev.records)
        let places = totals.places
        guard let gross = quantity.multiplied(by: price),
              let keep = ExactDecimal(1).subtracting(discount),
              let net = gross.multiplied(by: keep) else {
            moneyProblem(&ev, "line \(number): quantity × price is out of range")
            money.complete = false
            return .object(members)
        }
        let lineTotal = net.rounded(scale: places, rule: totals.rounding)
        members.append(PayloadMember(key: "LineTotal", value: .decimal(lineTotal)))
        guard let rate, let taxed = lineTotal.multiplied(by: rate) else {
            moneyProblem(&ev, "line \(number): the tax rate \(rateValue.displayText(ev.records) ?? "null") is not a number (\(body.taxRateSource.location): \(body.taxRateSource.text))")
            money.complete = false
            return .object(members)
        }
        let lineTax = taxed.rounded(scale: places, rule: totals.rounding)
        members.append(PayloadMember(key: "LineTax", value: .decimal(lineTax)))
        if let sub = money.subTotal.adding(lineTotal), let tax = money.taxTotal.adding(lineTax) {
            money.subTotal = sub
            money.taxTotal = tax
        } else {
            moneyProblem(&ev, "the order's totals are out of range")
            money.complete = false
        }
        return .object(members)
    }

    /// The exact decimal in a payload value (numbers, and text holding a decimal).
    static func decimal(_ payload: Payload) -> ExactDecimal? {
        switch payload {
        case .decimal(let d): return d
        case .text(let s): return ExactDecimal(s)
        case .raw(let bytes):
            if bytes.first == 0x22 { return ExactDecimal(String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self)) }
            return bytes.withContiguousStorageIfAvailable { ExactDecimal(utf8: UnsafeRawBufferPointer($0)) } ?? nil
        case .json(let j): return j.numberValue?.decimal ?? j.stringValue.flatMap { ExactDecimal($0) }
        default: return nil
        }
    }

    func moneyProblem(_ ev: inout Evaluator, _ what: String) {
        ev.problems.append(PlanProblem(severity: .error, code: ProblemCode.money, message: "\(ev.label): \(what).",
                                       field: ev.fieldPath.isEmpty ? nil : ev.fieldPath))
    }

    /// Appends SubTotal, TaxTotal and Total, and warns when Ordermentum's own total differs.
    func appendTotals(_ members: inout [PayloadMember], money: MoneyTally, _ ev: inout Evaluator) {
        guard money.complete, let total = money.subTotal.adding(money.taxTotal) else { return }
        let places = totals.places
        let sub = money.subTotal.rounded(scale: places, rule: totals.rounding)
        let tax = money.taxTotal.rounded(scale: places, rule: totals.rounding)
        let all = total.rounded(scale: places, rule: totals.rounding)
        members.append(PayloadMember(key: "SubTotal", value: .decimal(sub)))
        members.append(PayloadMember(key: "TaxTotal", value: .decimal(tax)))
        members.append(PayloadMember(key: "Total", value: .decimal(all)))
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
