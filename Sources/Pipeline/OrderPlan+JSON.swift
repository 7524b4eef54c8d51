import Batch
import Rules

extension OrderPlan {
    /// Writes the plan as one preview record (no newline):
    /// `{"source":{"id","number"},"action","message"?,"payload","problems","customer"?,"freightProduct"?,"supersede"?,"explain"?}`.
    public func write(to writer: inout JSONWriter) {
        // The writer's own comma bookkeeping, then the record straight into its bytes.
        writer.raw(EmptyCollection<UInt8>())
        var buffer = PayloadBuffer(capacity: 0)
        swap(&buffer.bytes, &writer.bytes)
        defer { swap(&buffer.bytes, &writer.bytes) }
        buffer.beginObject()
        buffer.key(RecordKeys.source)
        buffer.beginObject()
        buffer.key(RecordKeys.id)
        if let sourceID { buffer.string(sourceID) } else { buffer.null() }
        buffer.key(RecordKeys.number)
        if let sourceNumber { buffer.string(sourceNumber) } else { buffer.null() }
        buffer.endObject()
        buffer.key(RecordKeys.action)
        buffer.string(action.rawValue)
        if let message {
            buffer.key(RecordKeys.message)
            buffer.string(message)
        }
        buffer.key(RecordKeys.payload)
        buffer.raw(payload.bytes)
        buffer.key(RecordKeys.problems)
        buffer.beginArray()
        let label = self.label
        for problem in problems {
            buffer.beginObject()
            buffer.key(RecordKeys.severity)
            buffer.string(problem.severity.rawValue)
            buffer.key(RecordKeys.code)
            buffer.string(problem.code.rawValue)
            buffer.key(RecordKeys.message)
            buffer.string(problem.rendered(for: label))
            buffer.key(RecordKeys.field)
            if let field = problem.field { buffer.string(field) } else { buffer.null() }
            buffer.key(RecordKeys.rule)
            if let rule = problem.rule { buffer.string(rule.description) } else { buffer.null() }
            buffer.endObject()
        }
        buffer.endArray()
        if let customer {
            buffer.key(RecordKeys.customer)
            buffer.raw(customer.payload.bytes)
        }
        if let freightProduct {
            buffer.key(RecordKeys.freightProduct)
            buffer.raw(freightProduct.payload.bytes)
        }
        if let supersede {
            var nested = JSONWriter()
            supersede.write(to: &nested)
            buffer.key(RecordKeys.supersede)
            buffer.raw(nested.bytes)
        }
        if let explain {
            var nested = JSONWriter()
            nested.beginObject()
            for entry in explain {
                nested.key(entry.field)
                entry.write(to: &nested)
            }
            nested.endObject()
            buffer.key(RecordKeys.explain)
            buffer.raw(nested.bytes)
        }
        buffer.endObject()
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
    static let source = PayloadTemplate.encode("source")
    static let id = PayloadTemplate.encode("id")
    static let number = PayloadTemplate.encode("number")
    static let action = PayloadTemplate.encode("action")
    static let message = PayloadTemplate.encode("message")
    static let payload = PayloadTemplate.encode("payload")
    static let problems = PayloadTemplate.encode("problems")
    static let severity = PayloadTemplate.encode("severity")
    static let code = PayloadTemplate.encode("code")
    static let field = PayloadTemplate.encode("field")
    static let rule = PayloadTemplate.encode("rule")
    static let supersede = PayloadTemplate.encode("supersede")
    static let explain = PayloadTemplate.encode("explain")
    static let customer = PayloadTemplate.encode("customer")
    static let freightProduct = PayloadTemplate.encode("freightProduct")
}

extension PlanProblem {
    /// `{"severity","code","message","field","rule"}`, the message rendered for `order`
    /// (`order OM10452 (index 0)`, see `OrderPlan.label`); `field` and `rule` null when none.
    public func write(to writer: inout JSONWriter, order: String) {
        writer.beginObject()
        writer.key("severity")
        writer.string(severity.rawValue)
        writer.key("code")
        writer.string(code.rawValue)
        writer.key("message")
        writer.string(rendered(for: order))
        writer.key("field")
        if let field { writer.string(field) } else { writer.null() }
        writer.key("rule")
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
