import Batch
import Foundation
import OMSyncCommands
import Testing
import TestSupport

/// `omsync preview --format html`: one self-contained page with the summary, counts per
/// action, the invalid orders and their reasons, and each order's payload with where each field
/// came from; hostile order text never becomes markup.
struct PreviewHTMLTests {
    static func path(_ relative: String) -> String { Project.path(relative) }

    func html(_ batches: [String], jobs: Int = PreviewRun.defaultJobs) throws -> (PreviewRun.Outcome, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("preview-html-\(UUID().uuidString).html").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var options = PreviewRun.Options(batches: batches)
        options.rules = Self.path("rules")
        options.format = .html
        options.jobs = jobs
        let outcome = try PreviewRun(options).plan(into: try OutputSink(path: file))
        return (outcome, String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self))
    }

    /// The element names of every start tag in `html`.
    static func tags(_ html: String) -> Set<String> {
        var names: Set<String> = []
        var rest = html[...]
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            let name = after.prefix { $0.isLetter || $0.isNumber }
            if !name.isEmpty { names.insert(name.lowercased()) }
            rest = after
        }
        return names
    }

    /// The report's own markup: nothing else may appear as a tag.
    static let allowedTags: Set<String> = ["html", "head", "meta", "title", "style", "body", "input", "main", "h1", "h2", "h3", "h4",
                                           "section", "span", "p", "ul", "ol", "li", "code", "table", "thead", "tbody", "tr", "th",
                                           "td", "header", "b", "nav", "label", "a"]

    @Test func theSampleReportHasSummaryCountsInvalidReasonsAndExplanations() async throws {
        let (outcome, page) = try html([Self.path("samples/orders-envelope.json")])
        #expect(outcome.failed && outcome.status == .problems)
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(page.hasSuffix("</html>\n"))
        #expect(page.components(separatedBy: "<section class=\"order\"").count - 1 == 7)
        #expect(page.components(separatedBy: "</section>").count - 1 == 7)
        #expect(page.contains("<b>7</b> orders"))
        #expect(page.contains("data-count=\"3\"><b>3</b> create</label>"))
        #expect(page.contains("data-count=\"2\"><b>2</b> invalid</label>"))
        #expect(page.contains("data-count=\"2\"><b>2</b> skip</label>"))
        #expect(page.contains("<h2>Invalid orders</h2>"))
        #expect(page.contains("required property unleashed_customer_code"))
        // Each field says where it came from: the rule's place and, for properties, the level.
        #expect(page.contains("<code>Warehouse.WarehouseCode</code></td><td class=\"value\">SYD</td><td><span class=\"where\">"))
        #expect(page.contains("from customer") || page.contains("from order"))
        #expect(page.contains("SalesOrderLines[].UnitPrice"))
        #expect(page.contains("<td>COF-1KG</td>"))
        // The summary is written last (streaming) and shown first.
        #expect(page.range(of: "<header id=\"summary\">")!.lowerBound > page.range(of: "<main id=\"orders\">")!.lowerBound)
        #expect(page.contains("#summary { order: -1;"))
        // Self-contained: nothing is loaded from anywhere.
        #expect(!page.contains("src="))
        #expect(!page.contains("<link"))
        #expect(!page.contains("href=\"http"))
        #expect(Self.tags(page).isSubset(of: Self.allowedTags), "\(Self.tags(page).subtracting(Self.allowedTags))")
    }

    @Test func hostileOrderTextNeverBecomesMarkup() throws {
        let hostile = #"<script>alert(1)</script>"#
        let attribute = #"x\" onmouseover=\"alert(2)"#
        let order = """
        {"id":"\(attribute)","orderNumber":"OM<img src=x onerror=alert(3)>","status":"Placed","placedOn":"2019-04-08T22:16:31.902Z",\
        "createdAt":"2019-04-08T22:16:31.902Z","deliveryDate":"2019-04-09T14:00:00.000Z","comment":"\(hostile) & <b>bold</b>",\
        "retailerName":"</td></tr></table><iframe>","properties":{"unleashed_customer_code":"C1'><svg onload=alert(4)>",\
        "unleashed_warehouse":"SYD"},"lineItems":[{"SKU":"<style>body{display:none}</style>","quantity":1,"price":"1.0000","taxable":true}]}
        """
        let invalid = #"{"id":"h-2","orderNumber":"<script>bad()</script>","lineItems":[]}"#
        let batch = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-html-\(UUID().uuidString).json")
        try Data("[\(order),\(invalid)]".utf8).write(to: batch)
        defer { try? FileManager.default.removeItem(at: batch) }
        let (_, page) = try html([batch.path])
        #expect(Self.tags(page).isSubset(of: Self.allowedTags), "markup from the batch: \(Self.tags(page).subtracting(Self.allowedTags))")
        #expect(!page.contains("<script"))
        #expect(!page.contains("onmouseover=\""))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"))
        #expect(page.contains("OM&lt;img src=x onerror=alert(3)&gt;"))
        #expect(page.contains("x&quot; onmouseover=&quot;alert(2)"))
        #expect(page.contains("C1&#39;&gt;&lt;svg onload=alert(4)&gt;"))
        #expect(page.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;iframe&gt;"))
        #expect(page.components(separatedBy: "<style>").count == 2, "only the report's own style element")
        #expect(page.components(separatedBy: "</section>").count - 1 == 2)
    }

    @Test func theSummaryListsAtMostALimitOfInvalidOrders() throws {
        let count = PreviewHTML_limit + 3
        let orders = (0..<count).map { #"{"id":"i-\#($0)","orderNumber":"N\#($0)","lineItems":[]}"# }
        let batch = FileManager.default.temporaryDirectory.appendingPathComponent("many-invalid-\(UUID().uuidString).json")
        try Data(("[" + orders.joined(separator: ",") + "]").utf8).write(to: batch)
        defer { try? FileManager.default.removeItem(at: batch) }
        let (_, page) = try html([batch.path])
        let summary = String(page[page.range(of: "<header id=\"summary\">")!.lowerBound...])
        #expect(summary.components(separatedBy: "<li><a href=\"#b0-o").count - 1 == PreviewHTML_limit)
        #expect(summary.contains("… and 3 more invalid orders"))
        #expect(page.components(separatedBy: "<section class=\"order\" data-action=\"invalid\"").count - 1 == count)
    }

    @Test func theWorkersRenderTheSamePageWhateverTheirNumber() throws {
        let batch = FileManager.default.temporaryDirectory.appendingPathComponent("html-jobs-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: batch) }
        SyntheticBatch(orders: 300, seed: 5, shape: .ndjson).write(to: try OutputSink(path: batch))
        let pages = try [1, 2, 5].map { try html([batch, Self.path("samples/orders-envelope.json")], jobs: $0).1 }
        #expect(pages[0].components(separatedBy: "<section class=\"order\"").count - 1 == 307)
        #expect(pages[1] == pages[0])
        #expect(pages[2] == pages[0])
        #expect(pages[0].contains("<h3 class=\"batch\">"), "several batches: a heading per batch")
    }

    /// `PreviewHTML.invalidListLimit` (the type is internal to the commands library).
    let PreviewHTML_limit = 1000

    @Test func theCommandWritesTheSamePageToItsOutputFile() async throws {
        let batch = Self.path("samples/orders-envelope.json")
        let (outcome, page) = try html([batch])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await OMSyncBinary.run(["preview", "--rules", Self.path("rules"), "--format", "html", "--output", file.path, batch])
        #expect(run.status == outcome.status.rawValue, "\(run.errors)")
        #expect(run.output.isEmpty)
        #expect(String(decoding: try Data(contentsOf: file), as: UTF8.self) == page)
    }
}
