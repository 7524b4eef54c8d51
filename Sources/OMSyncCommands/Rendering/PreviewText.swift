import Batch
import Pipeline
import Rules

/// The text format of `omsync preview`: a summary, then each order in readable form.
enum PreviewText {
    static func paint(_ text: String, _ code: String, _ color: Bool) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func heading(_ text: String, color: Bool) -> String { paint(text, "1", color) }

    static func actionColor(_ action: Action) -> String {
        switch action {
        case .create: return "32"
        case .replace: return "33"
        case .supersede: return "36"
        case .skip: return "2"
        case .block: return "35"
        case .invalid: return "31"
        }
    }

    /// `7 orders: 3 create, 2 supersede, 2 invalid; 5 problems`, the invalid orders with their
    /// reasons, and the batch problems.
    static func summary(_ report: PreviewReport) -> String {
        let counts = Action.allCases.compactMap { action -> String? in
            guard let n = report.counts[action], n > 0 else { return nil }
            return paint("\(n) \(action.rawValue)", actionColor(action), report.color)
        }
        var text = heading("Preview", color: report.color) + ": \(report.orders) order\(report.orders == 1 ? "" : "s")"
        text += counts.isEmpty ? "" : ": " + counts.joined(separator: ", ")
        text += "; \(report.problemCount) problem\(report.problemCount == 1 ? "" : "s")\n"
        if !report.invalid.isEmpty {
            text += paint("Invalid orders:", "31;1", report.color) + "\n" + report.invalid.joined(separator: "\n") + "\n"
        }
        if !report.batchProblems.isEmpty {
            text += paint("Batch problems:", "31;1", report.color) + "\n"
            for (path, problem) in report.batchProblems {
                text += "  \(safe(path)):\(problem.line):\(problem.column): \(safe(problem.message))\n"
            }
        }
        return text + "\n"
    }

    /// One order: heading, message, problems, header fields, lines and totals, explanations.
    static func order(_ plan: OrderPlan, color: Bool) -> String {
        let action = paint(plan.action.rawValue, actionColor(plan.action) + ";1", color)
        var text = heading(safe(plan.sourceNumber ?? "(no number)"), color: color) + "  \(action)  (index \(plan.index), id \(safe(plan.sourceID ?? "none")))\n"
        if let message = plan.message, plan.action != .invalid { text += "  \(safe(message))\n" }
        let label = plan.label
        for problem in plan.problems {
            let tag = paint("\(problem.severity.rawValue)[\(problem.code.rawValue)]", problem.severity == .error ? "31" : "33", color)
            text += "  \(tag) \(safe(problem.rendered(for: label)))\n"
        }
        let payload = plan.payload.jsonValue
        var lines: [JSONValue] = []
        var totals: [String] = []
        for (key, value) in payload.objectValue ?? JSONObject() {
            switch key {
            case "SalesOrderLines": lines = value.arrayValue ?? []
            case "SubTotal", "TaxTotal", "Total": totals.append("\(key) \(scalar(value))")
            default: flatten(key, value, into: &text)
            }
        }
        for line in lines {
            let number = line["LineNumber"].map(scalar) ?? "?"
            let code = line["Product"]?["ProductCode"].map(scalar) ?? "(no product)"
            let quantity = line["OrderQuantity"].map(scalar) ?? "?"
            let price = line["UnitPrice"].map(scalar) ?? "?"
            let total = line["LineTotal"].map(scalar) ?? "?"
            let tax = line["LineTax"].map(scalar) ?? "?"
            let taxCode = line["LineTaxCode"].map { " \(scalar($0))" } ?? ""
            text += "  line \(number): \(quantity) × \(code) @ \(price) = \(total) + tax \(tax)\(taxCode)\n"
        }
        if !totals.isEmpty { text += "  " + totals.joined(separator: "  ") + "\n" }
        if let customer = plan.customer {
            text += "  customer (created when missing): \(safe(customer.payload.text))\n"
        }
        if let product = plan.freightProduct {
            text += "  freight product (created when missing): \(safe(product.payload.text))\n"
        }
        if let supersede = plan.supersede {
            let changes = supersede.changes.map { "\($0.path) = \(scalar($0.value))" }.joined(separator: ", ")
            text += "  supersede the original: \(changes.isEmpty ? "nothing to change" : changes)"
            text += supersede.rule.map { " (\(safe("\($0)")))" } ?? ""
            text += "\n"
        }
        if let explain = plan.explain {
            text += "  explain:\n"
            for entry in explain {
                let expression = entry.expression.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
                text += "    \(entry.field) ← \(safe(expression))" + (entry.rule.map { paint("  [\(safe("\($0)"))]", "2", color) } ?? "") + "\n"
                for source in entry.sources { text += "        \(safe("\(source)"))\n" }
            }
        }
        return text + "\n"
    }

    static func flatten(_ path: String, _ value: JSONValue, into text: inout String) {
        if let object = value.objectValue {
            for (key, child) in object { flatten(path + "." + key, child, into: &text) }
        } else {
            text += "  \(safe(path)): \(scalar(value))\n"
        }
    }

    /// A payload value as people read it, control characters escaped.
    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return safe(s)
        case .number(let n): return n.text
        default: return safe(value.serialized())
        }
    }

    /// Text from the batch or the rules, with its control characters escaped (`TerminalText`).
    static func safe(_ text: String) -> String { TerminalText.escaped(text) }
}
