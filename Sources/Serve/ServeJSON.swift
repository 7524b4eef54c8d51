import Batch
import Foundation
import Ledger
import Pipeline
import Push
import Rules

/// The JSON the page's API answers with (docs/serve.md lists every member).
enum ServeJSON {
    /// `"ok", "summary", "diagnostics"`: each diagnostic with its file name (relative to the
    /// rules folder when it is in it), path, line, column, code, severity, message and hint.
    static func checkMembers(_ result: RuleLoadResult, workspace: RuleWorkspace, into writer: inout JSONWriter) {
        writer.key("ok")
        writer.bool(!result.hasErrors)
        writer.key("errors")
        writer.int(result.count(.error))
        writer.key("warnings")
        writer.int(result.count(.warning))
        writer.key("diagnostics")
        writer.beginArray()
        let prefix = workspace.directory + "/"
        for diagnostic in result.diagnostics {
            writer.beginObject()
            let path = diagnostic.location?.file
            writer.key("file")
            if let path { writer.string(path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path) } else { writer.null() }
            writer.key("path")
            if let path { writer.string(path) } else { writer.null() }
            writer.key("line")
            if let line = diagnostic.location?.line { writer.int(line) } else { writer.null() }
            writer.key("column")
            if let column = diagnostic.location?.column { writer.int(column) } else { writer.null() }
            writer.key("code")
            writer.string(diagnostic.code)
            writer.key("severity")
            writer.string(diagnostic.severity.rawValue)
            writer.key("message")
            writer.string(diagnostic.message)
            writer.key("hint")
            if let hint = diagnostic.hint { writer.string(hint) } else { writer.null() }
            writer.endObject()
        }
        writer.endArray()
    }

    /// One order of the list view: where it is, its number, action, message and error reasons.
    static func listEntry(_ plan: OrderPlan, batch: Int, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("batch")
        writer.int(batch)
        writer.key("index")
        writer.int(plan.index)
        writer.key("number")
        if let number = plan.sourceNumber { writer.string(number) } else { writer.null() }
        writer.key("action")
        writer.string(plan.action.rawValue)
        writer.key("message")
        if let message = plan.message { writer.string(message) } else { writer.null() }
        writer.key("reasons")
        writer.beginArray()
        for problem in plan.problems where problem.severity == .error { writer.string(problem.message) }
        writer.endArray()
        writer.key("warnings")
        writer.int(plan.problems.count { $0.severity != .error })
        writer.endObject()
    }

    /// `{"orders", "actions": {action: n …}, "problems", "ordersWithErrors"}`.
    static func summary(orders: Int, counts: [Action: Int], problems: Int, withErrors: Int, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.planSummaryMembers(orders: orders, counts: counts, problems: problems, ordersWithErrors: withErrors)
        writer.endObject()
    }

    /// What the ledger knows of an order, and whether the payload now differs from the one last
    /// pushed (the ledger keeps the pushed payload's hash, not the payload: docs/serve.md).
    static func ledgerEntry(_ row: OrderRecord?, payload: Payload, into writer: inout JSONWriter) {
        guard let row else { writer.null(); return }
        writer.beginObject()
        writer.key("state")
        writer.string(row.state.rawValue)
        writer.key("guid")
        if let guid = row.guid { writer.string(guid) } else { writer.null() }
        writer.key("unleashedOrderNumber")
        if let number = row.unleashedOrderNumber { writer.string(number) } else { writer.null() }
        writer.key("pushedHash")
        if let hash = row.payloadHash { writer.string(hash) } else { writer.null() }
        let now = PayloadHash.of(payload.bytes)
        writer.key("currentHash")
        writer.string(now)
        writer.key("payloadChanged")
        if let hash = row.payloadHash { writer.bool(hash != now) } else { writer.null() }
        writer.key("lastAction")
        if let action = row.lastAction { writer.string(action) } else { writer.null() }
        writer.key("lastError")
        if let error = row.lastError { writer.string(error) } else { writer.null() }
        writer.key("updatedAt")
        writer.string(ISO8601DateFormatter().string(from: row.updatedAt))
        writer.endObject()
    }

    /// The payload as `[[path, text]]` in payload order: dotted paths with line indexes
    /// (`SalesOrderLines[0].UnitPrice`), numbers as their exact text (`28.7900`), text as it is.
    static func flatFields(_ payload: JSONValue, into writer: inout JSONWriter) {
        writer.beginArray()
        func walk(_ path: String, _ value: JSONValue) {
            switch value {
            case .object(let object):
                for (key, child) in object { walk(path.isEmpty ? key : path + "." + key, child) }
            case .array(let items):
                for (i, item) in items.enumerated() { walk("\(path)[\(i)]", item) }
            default:
                writer.beginArray()
                writer.string(path)
                switch value {
                case .string(let text): writer.string(text)
                case .number(let number): writer.string(number.text)
                default: writer.string(value.serialized())
                }
                writer.endArray()
            }
        }
        walk("", payload)
        writer.endArray()
    }

    /// `{"error": message}`.
    static func error(_ message: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.string(message)
        writer.endObject()
        return writer.bytes
    }
}
