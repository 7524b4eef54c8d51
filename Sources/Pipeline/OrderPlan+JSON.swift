import Batch
import Rules

extension OrderPlan {
    /// Writes the plan as one preview record (no newline):
    /// `{"source":{"id","number"},"action","message"?,"payload","problems","customer"?,"freightProduct"?,"supersede"?,"explain"?}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key(encoded: RecordKeys.source)
        writer.beginObject()
        writer.key(encoded: RecordKeys.id)
        if let sourceID { writer.string(sourceID) } else { writer.null() }
        writer.key(encoded: RecordKeys.number)
        if let sourceNumber { writer.string(sourceNumber) } else { writer.null() }
        writer.endObject()
        writer.key(encoded: RecordKeys.action)
        writer.string(action.rawValue)
        if let message {
            writer.key(encoded: RecordKeys.message)
            writer.string(message)
        }
        writer.key(encoded: RecordKeys.payload)
        writer.raw(payload.bytes)
        writer.key(encoded: RecordKeys.problems)
        writer.beginArray()
        if !problems.isEmpty {
            let label = self.label
            for problem in problems { problem.write(to: &writer, order: label) }
        }
        writer.endArray()
        if let customer {
            writer.key(encoded: RecordKeys.customer)
            writer.raw(customer.payload.bytes)
        }
        if let freightProduct {
            writer.key(encoded: RecordKeys.freightProduct)
            writer.raw(freightProduct.payload.bytes)
        }
        if let supersede {
            writer.key(encoded: RecordKeys.supersede)
            supersede.write(to: &writer)
        }
        if let explain {
            writer.key(encoded: RecordKeys.explain)
            writer.beginObject()
            for entry in explain {
                writer.key(entry.field)
                entry.write(to: &writer)
            }
            writer.endObject()
        }
        writer.endObject()
    }

    /// The preview record as a JSON value (tests, the json format).
    public var jsonValue: JSONValue {
        var writer = JSONWriter()
        write(to: &writer)
        return (try? JSONValue.parse(writer.bytes)) ?? .null
    }
}

/// Pre-encoded keys of the preview record.
enum RecordKeys {
    static let source = JSONWriter.encodedKey("source")
    static let id = JSONWriter.encodedKey("id")
    static let number = JSONWriter.encodedKey("number")
    static let action = JSONWriter.encodedKey("action")
    static let message = JSONWriter.encodedKey("message")
    static let payload = JSONWriter.encodedKey("payload")
    static let problems = JSONWriter.encodedKey("problems")
    static let severity = JSONWriter.encodedKey("severity")
    static let code = JSONWriter.encodedKey("code")
    static let field = JSONWriter.encodedKey("field")
    static let rule = JSONWriter.encodedKey("rule")
    static let supersede = JSONWriter.encodedKey("supersede")
    static let explain = JSONWriter.encodedKey("explain")
    static let customer = JSONWriter.encodedKey("customer")
    static let freightProduct = JSONWriter.encodedKey("freightProduct")
}

extension PlanProblem {
    /// `{"severity","code","message","field","rule"}`, the message rendered for `order`
    /// (`order OM10452 (index 0)`, see `OrderPlan.label`); `field` and `rule` null when none.
    public func write(to writer: inout JSONWriter, order: String) {
        writer.beginObject()
        writer.key(encoded: RecordKeys.severity)
        writer.string(severity.rawValue)
        writer.key(encoded: RecordKeys.code)
        writer.string(code.rawValue)
        writer.key(encoded: RecordKeys.message)
        writer.string(rendered(for: order))
        writer.key(encoded: RecordKeys.field)
        if let field { writer.string(field) } else { writer.null() }
        writer.key(encoded: RecordKeys.rule)
        if let rule { writer.string(rule.description) } else { writer.null() }
        writer.endObject()
    }
}

extension SupersedeOutcome {
    /// `{"rule":"file:line:col","set":{"Path":value,…}}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("rule")
        if let rule { writer.string(rule.description) } else { writer.null() }
        writer.key("set")
        writer.beginObject()
        for change in changes {
            writer.key(change.path)
            writer.write(change.value)
        }
        writer.endObject()
        writer.endObject()
    }
}

extension ExplainEntry {
    /// `{"rule":"file:line:col","expression":"…","sources":[…]}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("rule")
        if let rule { writer.string(rule.description) } else { writer.null() }
        writer.key("expression")
        writer.string(expression)
        if !sources.isEmpty {
            writer.key("sources")
            writer.beginArray()
            for source in sources { writer.string(source) }
            writer.endArray()
        }
        writer.endObject()
    }
}

extension JSONWriter {
    /// The members every plan summary has (`preview --format json`, `omsync serve`), inside an
    /// object the caller opened: `"orders"`, `"actions": {action: n …}` (every action, 0 included),
    /// `"problems"`, `"ordersWithErrors"`.
    public mutating func planSummaryMembers(orders: Int, counts: [Action: Int], problems: Int, ordersWithErrors: Int) {
        key("orders")
        int(orders)
        key("actions")
        beginObject()
        for action in Action.allCases {
            key(action.rawValue)
            int(counts[action] ?? 0)
        }
        endObject()
        key("problems")
        int(problems)
        key("ordersWithErrors")
        int(ordersWithErrors)
    }
}
