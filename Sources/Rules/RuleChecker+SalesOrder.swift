import Batch

extension RuleChecker {
    /// `sales_order:` {fields, lines, freight, totals}.
    mutating func salesOrder(_ node: YAMLNode?, scope: ExpressionScope) -> SalesOrderMapping {
        var result = SalesOrderMapping(fields: [], lines: nil, freight: nil, totals: TotalsSpec())
        guard let node, let pairs = mapping(node, "sales_order") else { return result }
        checkKeys(pairs, allowed: RuleKeys.salesOrder.allowed, required: RuleKeys.salesOrder.required, in: "sales_order", at: node.location)
        if let fields = value("fields", in: pairs) {
            result.fields = fieldMappings(fields, .header, scope: scope, what: "sales_order.fields")
        }
        if let lines = value("lines", in: pairs) { result.lines = lineMapping(lines, scope: scope) }
        if let freight = value("freight", in: pairs) { result.freight = freightMapping(freight, scope: scope) }
        if let totals = value("totals", in: pairs) { result.totals = totalsSpec(totals, scope: scope) }
        return result
    }

    private mutating func lineMapping(_ node: YAMLNode, scope: ExpressionScope) -> LineMapping? {
        guard let pairs = mapping(node, "sales_order.lines") else { return nil }
        checkKeys(pairs, allowed: RuleKeys.lines.allowed, required: RuleKeys.lines.required,
                  in: "sales_order.lines", at: node.location)
        let lineScope = scope.allowing(.line)
        let each = value("each", in: pairs).flatMap { condition($0, scope: scope, what: "each") }
        let when = value("when", in: pairs).flatMap { condition($0, scope: lineScope, what: "when") }
        let fields = value("fields", in: pairs).map { fieldMappings($0, .line, scope: lineScope, what: "sales_order.lines.fields") } ?? []
        let taxRate = value("tax_rate", in: pairs).flatMap { expression($0, scope: lineScope, what: "tax_rate") }
        if let taxRate { expectNumber(taxRate, "tax_rate is a rate (0.1 = 10 %)", scope: lineScope) }
        if let each, [.text, .number, .bool].contains(ExpressionTypeChecker.type(of: each, scope: scope)) {
            report(.typeMismatch, "each must be a list (like order.lineItems)", at: each.location)
        }
        var required: [String] = []
        if let list = value("required", in: pairs), let items = sequence(list, "required") {
            let mapped = Set(fields.map(\.dottedPath))
            for item in items {
                guard let path = fieldPath(item, .line) else { continue }
                let dotted = path.joined(separator: ".")
                checkMapped(dotted, by: mapped, in: "sales_order.lines", at: item.location)
                required.append(dotted)
            }
        }
        guard let each, let taxRate else { return nil }
        return LineMapping(each: each, when: when, fields: fields, taxRate: taxRate, required: required, location: node.location)
    }

    private mutating func freightMapping(_ node: YAMLNode, scope: ExpressionScope) -> FreightMapping? {
        guard let pairs = mapping(node, "sales_order.freight") else { return nil }
        checkKeys(pairs, allowed: RuleKeys.freight.allowed, required: RuleKeys.freight.required,
                  in: "sales_order.freight", at: node.location)
        let when = value("when", in: pairs).flatMap { condition($0, scope: scope, what: "when") }
        let fields = value("fields", in: pairs).map { fieldMappings($0, .line, scope: scope, what: "sales_order.freight.fields") } ?? []
        let taxRate = value("tax_rate", in: pairs).flatMap { expression($0, scope: scope, what: "tax_rate") }
        if let taxRate { expectNumber(taxRate, "tax_rate is a rate (0.1 = 10 %)", scope: scope) }
        guard let when, let taxRate else { return nil }
        return FreightMapping(when: when, fields: fields, taxRate: taxRate, location: node.location)
    }

    private mutating func totalsSpec(_ node: YAMLNode, scope: ExpressionScope) -> TotalsSpec {
        var spec = TotalsSpec(location: node.location)
        guard let pairs = mapping(node, "sales_order.totals") else { return spec }
        checkKeys(pairs, allowed: RuleKeys.totals.allowed, in: "sales_order.totals", at: node.location)
        // Unleashed validates LineTotal, LineTax and the totals to the cent, half-up, and refuses
        // anything else: the money rule is the Unleashed contract's, not a rules choice.
        for key in ["places", "rounding"] {
            guard let given = value(key, in: pairs) else { continue }
            report(.totalsChoiceIgnored,
                   "sales_order.totals.\(key) is ignored: Unleashed computes LineTotal, LineTax and the totals to the cent, rounding half-up, and refuses other amounts",
                   at: given.location, hint: "remove `\(key)`; to round a price or quantity, use round() or round_even() in its field")
        }
        if let compare = value("compare_to", in: pairs) {
            spec.compareTo = expression(compare, scope: scope, what: "compare_to")
            if let compareTo = spec.compareTo { expectNumber(compareTo, "compare_to is Ordermentum's total", scope: scope) }
        }
        return spec
    }
}
