extension BatchSummary {
    /// The summary as one JSON object: `{"path","shape","orders","customers","ordersWithCustomer",
    /// "createdAt":{"min","max"},"ordersMissingSKU","tbaDelivery","problems":[…]}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("path"); writer.string(path)
        writer.key("shape"); writer.string(shape.rawValue)
        writer.key("orders"); writer.int(orders)
        writer.key("customers"); writer.int(customers)
        writer.key("ordersWithCustomer"); writer.int(ordersWithCustomer)
        writer.key("ordersWithUnknownCustomer"); writer.int(ordersWithUnknownCustomer)
        writer.key("duplicateIds"); writer.int(duplicateIds)
        writer.key("createdAt")
        writer.beginObject()
        writer.key("min"); if let createdAtMin { writer.string(createdAtMin) } else { writer.null() }
        writer.key("max"); if let createdAtMax { writer.string(createdAtMax) } else { writer.null() }
        writer.endObject()
        writer.key("ordersMissingSKU"); writer.int(ordersMissingSKU)
        writer.key("tbaDelivery"); writer.int(tbaDelivery)
        writer.key("problems")
        writer.beginArray()
        for problem in problems {
            writer.beginObject()
            writer.key("record"); if let record = problem.record { writer.int(record) } else { writer.null() }
            writer.key("line"); writer.int(problem.line)
            writer.key("column"); writer.int(problem.column)
            writer.key("offset"); writer.int(problem.offset)
            writer.key("fatal"); writer.bool(problem.fatal)
            writer.key("message"); writer.string(problem.message)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    /// The summary as indented text lines, for people.
    public var text: String {
        var lines = [
            "\(TerminalText.escaped(path)):",
            "  shape: \(shape.rawValue)",
            "  orders: \(orders)",
            "  customers: \(customers)",
            "  orders with a customer: \(ordersWithCustomer)",
            "  orders whose customer is not in the export: \(ordersWithUnknownCustomer)",
            "  older copies of an order (its id again; only the newest copy is imported): \(duplicateIds)",
            "  createdAt: " + (createdAtMin.map { "\(TerminalText.escaped($0)) … \(TerminalText.escaped(createdAtMax ?? $0))" } ?? "none"),
            "  orders missing SKU on a line: \(ordersMissingSKU)",
            "  TBA delivery: \(tbaDelivery)",
            "  problems: \(problems.isEmpty ? "none" : String(problems.count))",
        ]
        for problem in problems {
            lines.append("    \(TerminalText.escaped(path)):\(problem.line):\(problem.column): \(problem.fatal ? "error" : "warning"): " +
                (problem.record.map { problem.message.contains("record \($0)") ? "" : "record \($0): " } ?? "") + TerminalText.escaped(problem.message))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
