import Batch
import Rules

extension OrderPlan {
    /// Writes the plan as one preview record (no newline):
    /// `{"source":{"id","number"},"action","message"?,"payload","problems","supersede"?,"explain"?}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("source")
        writer.beginObject()
        writer.key("id")
        if let sourceID { writer.string(sourceID) } else { writer.null() }
        writer.key("number")
        if let sourceNumber { writer.string(sourceNumber) } else { writer.null() }
        writer.endObject()
        writer.key("action")
        writer.string(action.rawValue)
        if let message {
            writer.key("message")
            writer.string(message)
        }
        writer.key("payload")
        payload.write(to: &writer)
        writer.key("problems")
        writer.beginArray()
        for problem in problems {
            problem.write(to: &writer)
        }
        writer.endArray()
        if let supersede {
            writer.key("supersede")
            supersede.write(to: &writer)
        }
        if let explain {
            writer.key("explain")
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

extension PlanProblem {
    /// `{"severity","code","message","field"}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("severity")
        writer.string(severity.rawValue)
        writer.key("code")
        writer.string(code)
        writer.key("message")
        writer.string(message)
        writer.key("field")
        if let field { writer.string(field) } else { writer.null() }
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
