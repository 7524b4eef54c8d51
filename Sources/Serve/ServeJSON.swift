import Batch
import Foundation
import Ledger
import Pipeline
import Facts
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

    /// What the ledger knows of an order, whether the payload now differs from the one last
    /// pushed (by hash), and, when the ledger kept that payload (`pushed`), the diff field by
    /// field; `diffNote` says why there is no diff otherwise (docs/serve.md).
    static func ledgerEntry(_ row: OrderRecord?, payload: Payload, pushed: PushedPayload?, into writer: inout JSONWriter) {
        guard let row else { writer.null(); return }
        let iso = ISO8601DateFormatter()
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
        if let hash = row.payloadHash, row.guid != nil { writer.bool(hash != now) } else { writer.null() }
        writer.key("lastAction")
        if let action = row.lastAction { writer.string(action) } else { writer.null() }
        writer.key("lastError")
        if let error = row.lastError { writer.string(error) } else { writer.null() }
        writer.key("updatedAt")
        writer.string(iso.string(from: row.updatedAt))
        writer.key("diff")
        let sent = pushed.flatMap { try? JSONValue.parse($0.json) }
        if let pushed, let sent {
            writer.beginObject()
            writer.key("recordedAt")
            writer.string(iso.string(from: pushed.recordedAt))
            diffMembers(pushed: sent, now: payload.jsonValue, into: &writer)
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key("diffNote")
        if sent != nil {
            writer.null()
        } else if row.guid == nil || row.payloadHash == nil {
            writer.string("nothing of this order is live in Unleashed, so there is nothing to compare with")
        } else if pushed != nil {
            writer.string("the payload kept for this order is not valid JSON; only the hashes compare")
        } else {
            writer.string("the ledger kept no payload for this push (made before omsync kept the payloads it sends); only the hashes compare")
        }
        writer.endObject()
    }

    /// `"changes": [{path, pushed, now}], "same": n`: every leaf of the two payloads whose value
    /// differs (in the current payload's order, then the leaves only the pushed one had), with
    /// `null` on the side that lacks it; numbers compare as decimals (`28.79` is `28.7900`).
    static func diffMembers(pushed: JSONValue, now: JSONValue, into writer: inout JSONWriter) {
        let before = leaves(pushed)
        let after = leaves(now)
        var old: [String: JSONValue] = [:]
        for (path, value) in before { old[path] = value }
        var seen = Set<String>()
        var same = 0
        writer.key("changes")
        writer.beginArray()
        func change(_ path: String, _ pushed: JSONValue?, _ now: JSONValue?) {
            writer.beginObject()
            writer.key("path")
            writer.string(path)
            writer.key("pushed")
            if let pushed { writer.string(text(pushed)) } else { writer.null() }
            writer.key("now")
            if let now { writer.string(text(now)) } else { writer.null() }
            writer.endObject()
        }
        for (path, value) in after {
            seen.insert(path)
            if let previous = old[path], equal(previous, value) { same += 1 } else { change(path, old[path], value) }
        }
        for (path, value) in before where !seen.contains(path) { change(path, value, nil) }
        writer.endArray()
        writer.key("same")
        writer.int(same)
    }

    /// Two leaf values are the same: numbers by their decimal value, the rest exactly.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if case .number(let x) = a, case .number(let y) = b { return x.decimal == y.decimal }
        return a == b
    }

    /// The payload's leaves in payload order: dotted paths with line indexes
    /// (`SalesOrderLines[0].UnitPrice`); an empty object or list is a leaf of its own.
    static func leaves(_ payload: JSONValue) -> [(path: String, value: JSONValue)] {
        var result: [(path: String, value: JSONValue)] = []
        func walk(_ path: String, _ value: JSONValue) {
            switch value {
            case .object(let object) where !object.isEmpty || path.isEmpty:
                for (key, child) in object { walk(path.isEmpty ? key : path + "." + key, child) }
            case .array(let items) where !items.isEmpty:
                for (i, item) in items.enumerated() { walk("\(path)[\(i)]", item) }
            default:
                result.append((path, value))
            }
        }
        walk("", payload)
        return result
    }

    /// A leaf as the page shows it: numbers as their exact text (`28.7900`), text as it is.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return number.text
        default: return value.serialized()
        }
    }

    /// The payload as `[[path, text]]` in payload order (`leaves`, each as `text`).
    static func flatFields(_ payload: JSONValue, into writer: inout JSONWriter) {
        writer.beginArray()
        for (path, value) in leaves(payload) {
            writer.beginArray()
            writer.string(path)
            writer.string(text(value))
            writer.endArray()
        }
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
