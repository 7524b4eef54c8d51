import Batch
import Pipeline
import Rules

/// The html format of `omsync preview`: one self-contained page (no script, nothing loaded
/// from the network) to attach to an email or a ticket.
///
/// It streams like ndjson: each order is written as it is planned, and the summary, known only
/// at the end, is written last and shown first (the body is a flex column; the summary has
/// `order: -1`). Memory stays flat: only the first `invalidListLimit` invalid orders are kept
/// for the summary's list (every invalid order still shows its reasons in its own section).
/// Every text from the batch or the rules goes through `HTMLText.escaped`.
enum PreviewHTML {
    /// Invalid orders listed in the summary; past this, the summary says how many more.
    static let invalidListLimit = 1000

    /// The document up to the first order: head, style, the filter switches, `<main>`.
    static func head() -> String {
        var text = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        text += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        text += "<title>omsync preview</title>\n<style>\n" + style + "</style>\n</head>\n<body>\n"
        text += "<input type=\"radio\" name=\"show\" id=\"show-all\" checked hidden>"
        for action in Action.allCases {
            text += "<input type=\"radio\" name=\"show\" id=\"show-\(action.rawValue)\" hidden>"
        }
        return text + "\n<main id=\"orders\">\n<h2>Orders</h2>\n"
    }

    /// A heading before the orders of one batch.
    static func batchHeading(_ path: String) -> String {
        "<h3 class=\"batch\">\(HTMLText.escaped(path))</h3>\n"
    }

    /// The anchor of an order's section: its batch's position and its index.
    static func anchor(batch: Int, index: Int) -> String { "b\(batch)-o\(index)" }

    /// One order's section: heading, message, problems, payload fields with where each came
    /// from, lines, records created first, supersede, and the line fields' explanations.
    static func order(_ plan: OrderPlan, batch: Int) -> String {
        let e = HTMLText.escaped
        let action = plan.action.rawValue
        var text = "<section class=\"order\" data-action=\"\(action)\" id=\"\(anchor(batch: batch, index: plan.index))\">\n"
        text += "<h4><span class=\"number\">\(e(plan.sourceNumber ?? "(no number)"))</span> <span class=\"action a-\(action)\">\(action)</span>"
        text += " <span class=\"meta\">index \(plan.index) · id \(e(plan.sourceID ?? "none"))</span></h4>\n"
        if let message = plan.message, plan.action != .invalid { text += "<p class=\"message\">\(e(message))</p>\n" }
        if !plan.problems.isEmpty {
            text += "<ul class=\"problems\">\n"
            for problem in plan.problems {
                text += "<li class=\"\(problem.severity.rawValue)\"><code>\(problem.severity.rawValue)[\(e(problem.code.rawValue))]</code> \(e(problem.message))"
                let place = [problem.field, problem.rule.map { "\($0)" }].compactMap { $0 }.joined(separator: " · ")
                if !place.isEmpty { text += " <span class=\"where\">\(e(place))</span>" }
                text += "</li>\n"
            }
            text += "</ul>\n"
        }
        var explained: [String: ExplainEntry] = [:]
        for entry in plan.explain ?? [] { explained[entry.field] = entry }
        var shown: Set<String> = []
        var lines: [JSONValue] = []
        text += "<table class=\"fields\"><thead><tr><th>Field</th><th>Value</th><th>From</th></tr></thead><tbody>\n"
        for (key, value) in plan.payload.jsonValue.objectValue ?? JSONObject() {
            if key == "SalesOrderLines" { lines = value.arrayValue ?? []; continue }
            fieldRows(key, value, explained, &shown, into: &text)
        }
        text += "</tbody></table>\n"
        if !lines.isEmpty { text += linesTable(lines) }
        let lineEntries = (plan.explain ?? []).filter { !shown.contains($0.field) }
        if !lineEntries.isEmpty {
            text += "<table class=\"fields lines-from\"><thead><tr><th>Lines, left-out fields, records</th><th>From</th></tr></thead><tbody>\n"
            for entry in lineEntries {
                text += "<tr><td><code>\(e(entry.field))</code></td><td>\(explanation(entry))</td></tr>\n"
            }
            text += "</tbody></table>\n"
        }
        if let customer = plan.customer {
            text += "<p class=\"record\">Customer created when missing: <code>\(e(customer.payload.text))</code></p>\n"
        }
        if let product = plan.freightProduct {
            text += "<p class=\"record\">Freight product created when missing: <code>\(e(product.payload.text))</code></p>\n"
        }
        if let supersede = plan.supersede {
            let changes = supersede.changes.map { "\($0.path) = \(PreviewText.scalar($0.value))" }.joined(separator: ", ")
            text += "<p class=\"record\">Supersede the original: \(e(changes.isEmpty ? "nothing to change" : changes))"
            text += supersede.rule.map { " <span class=\"where\">\(e("\($0)"))</span>" } ?? ""
            text += "</p>\n"
        }
        return text + "</section>\n"
    }

    /// Rows for a payload field (objects flattened to dotted paths) with its explanation.
    static func fieldRows(_ path: String, _ value: JSONValue, _ explained: [String: ExplainEntry], _ shown: inout Set<String>,
                          into text: inout String) {
        if let object = value.objectValue {
            for (key, child) in object { fieldRows(path + "." + key, child, explained, &shown, into: &text) }
            return
        }
        let entry = explained[path]
        if entry != nil { shown.insert(path) }
        text += "<tr><td><code>\(HTMLText.escaped(path))</code></td><td class=\"value\">\(HTMLText.escaped(PreviewText.scalar(value)))</td>"
        text += "<td>\(entry.map(explanation) ?? "")</td></tr>\n"
    }

    /// Where a field came from: the rule's place, the expression, and the properties and
    /// settings it read (with the level that supplied each).
    static func explanation(_ entry: ExplainEntry) -> String {
        let e = HTMLText.escaped
        let expression = entry.expression.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        var text = entry.rule.map { "<span class=\"where\">\(e("\($0)"))</span> " } ?? ""
        text += "<code>\(e(expression))</code>"
        if !entry.sources.isEmpty {
            text += "<ul class=\"sources\">" + entry.sources.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        }
        return text
    }

    /// The sales order lines as a table.
    static func linesTable(_ lines: [JSONValue]) -> String {
        let columns = ["Line", "Product", "Quantity", "Unit price", "Line total", "Tax", "Tax code"]
        var text = "<table class=\"lines\"><thead><tr>" + columns.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
        for line in lines {
            let cells: [JSONValue?] = [line["LineNumber"], line["Product"]?["ProductCode"], line["OrderQuantity"], line["UnitPrice"],
                                       line["LineTotal"], line["LineTax"], line["LineTaxCode"]]
            text += "<tr>" + cells.map { "<td>\(HTMLText.escaped($0.map(PreviewText.scalar) ?? ""))</td>" }.joined() + "</tr>\n"
        }
        return text + "</tbody></table>\n"
    }

    /// Closes the orders, then the summary (shown first), then the document.
    static func tail(_ report: PreviewReport, batches: [String]) -> String {
        let e = HTMLText.escaped
        var text = "</main>\n<header id=\"summary\">\n<h1>omsync preview</h1>\n"
        text += "<p class=\"totals\"><b>\(report.orders)</b> order\(report.orders == 1 ? "" : "s") · <b>\(report.problemCount)</b> problem\(report.problemCount == 1 ? "" : "s")"
        text += " · <b>\(report.ordersWithErrors)</b> with errors · from " + batches.map { "<code>\(e($0))</code>" }.joined(separator: ", ") + "</p>\n"
        text += "<nav class=\"counts\" aria-label=\"Show orders by action\"><label for=\"show-all\" class=\"count\"><b>\(report.orders)</b> all</label>"
        for action in Action.allCases {
            let n = report.counts[action] ?? 0
            text += "<label for=\"show-\(action.rawValue)\" class=\"count a-\(action.rawValue)\" data-count=\"\(n)\"><b>\(n)</b> \(action.rawValue)</label>"
        }
        text += "</nav>\n"
        if !report.htmlInvalid.isEmpty {
            text += "<h2>Invalid orders</h2>\n<ol class=\"invalid\">\n" + report.htmlInvalid.joined() + "</ol>\n"
            let more = (report.counts[.invalid] ?? 0) - report.htmlInvalid.count
            if more > 0 { text += "<p class=\"more\">… and \(more) more invalid orders (choose “invalid” above to see them all).</p>\n" }
        }
        if !report.batchProblems.isEmpty {
            text += "<h2>Batch problems</h2>\n<ul class=\"batch-problems\">\n"
            for (path, problem) in report.batchProblems {
                text += "<li><code>\(e(path)):\(problem.line):\(problem.column)</code> \(e(problem.message))\(problem.fatal ? " (the rest of the batch was not read)" : "")</li>\n"
            }
            text += "</ul>\n"
        }
        return text + "</header>\n</body>\n</html>\n"
    }

    /// One entry of the summary's invalid list: a link to the order and its error reasons.
    static func invalidEntry(_ plan: OrderPlan, batch: Int, path: String?) -> String {
        let e = HTMLText.escaped
        var text = "<li><a href=\"#\(anchor(batch: batch, index: plan.index))\">\(path.map { e($0) + ": " } ?? "")\(e(plan.sourceNumber ?? "(no number)")) (index \(plan.index))</a><ul>"
        for problem in plan.problems where problem.severity == .error { text += "<li>\(e(problem.message))</li>" }
        return text + "</ul></li>\n"
    }

    static let style = """
        :root { color-scheme: light; --ink: #1d2430; --muted: #5b6576; --line: #d9dee7; --bg: #f6f7f9; }
        body { display: flex; flex-direction: column; margin: 0 auto; max-width: 1200px; padding: 1.5rem;
               font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        #summary { order: -1; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1.5rem; }
        h1 { margin: 0 0 .5rem; font-size: 1.5rem; } h2 { font-size: 1.15rem; margin: 1rem 0 .5rem; }
        code { font: 13px/1.4 ui-monospace, "SF Mono", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
        .counts { display: flex; flex-wrap: wrap; gap: .5rem; }
        .count { cursor: pointer; border: 1px solid var(--line); border-radius: 999px; padding: .2rem .8rem; background: #fff; }
        .count[data-count="0"] { opacity: .5; }
        .order { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
        .order h4 { margin: 0 0 .5rem; font-size: 1.05rem; } .meta, .where { color: var(--muted); font-size: .85em; font-weight: normal; }
        .action { border-radius: 4px; padding: .05rem .45rem; font-size: .85em; color: #fff; }
        .a-create { background: #1f7a3a; } .a-replace { background: #9a6400; } .a-supersede { background: #0b6e7f; }
        .a-skip { background: #6b7280; } .a-block { background: #8a2f8f; } .a-invalid { background: #b42318; }
        .count.a-create, .count.a-replace, .count.a-supersede, .count.a-skip, .count.a-block, .count.a-invalid { color: #fff; }
        .problems { margin: .25rem 0 .75rem; padding-left: 1.2rem; } .problems .error { color: #b42318; } .problems .warning { color: #9a6400; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0; } th, td { text-align: left; vertical-align: top; padding: .25rem .5rem; border-bottom: 1px solid var(--line); }
        th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
        .fields td:first-child { width: 28%; } .fields td.value { width: 22%; } .sources { margin: .2rem 0 0; padding-left: 1.1rem; color: var(--muted); font-size: .85em; }
        .record { font-size: .9em; }
        body:has(#show-create:checked) .order:not([data-action="create"]), body:has(#show-replace:checked) .order:not([data-action="replace"]),
        body:has(#show-supersede:checked) .order:not([data-action="supersede"]), body:has(#show-skip:checked) .order:not([data-action="skip"]),
        body:has(#show-block:checked) .order:not([data-action="block"]), body:has(#show-invalid:checked) .order:not([data-action="invalid"]) { display: none; }
        body:has(#show-all:checked) label[for="show-all"], body:has(#show-create:checked) label[for="show-create"], body:has(#show-replace:checked) label[for="show-replace"],
        body:has(#show-supersede:checked) label[for="show-supersede"], body:has(#show-skip:checked) label[for="show-skip"],
        body:has(#show-block:checked) label[for="show-block"], body:has(#show-invalid:checked) label[for="show-invalid"] { outline: 3px solid #2b6cb0; }
        @media print { .counts { display: none; } body { background: #fff; } }

        """
}
