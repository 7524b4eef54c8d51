import Batch
import Foundation
import TestSupport
import Testing

/// The two halves agree: every sales order `omsync preview` plans as a create for the sample
/// batch is accepted by `omsync sandbox` (which validates references and the money to the cent
/// as Unleashed does), and the sandbox stores the totals the preview computed.
@Suite(.serialized) struct PreviewIntoSandboxEndToEndTests {
    @Test func everyPlannedCreateIsAcceptedByTheSandbox() async throws {
        let preview = try await OMSyncBinary.run(["preview", "--format", "ndjson", "samples/orders.ndjson"])
        let plans = try preview.output.split(separator: "\n").map { try JSONValue.parse(String($0)) }
        let creates = plans.filter { $0["action"]?.stringValue == "create" }
        #expect(creates.count == 3)

        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--api-id", "e2e-id", "--api-key", "e2e-key"])
        defer { _ = sandbox.stop() }
        for (n, plan) in creates.enumerated() {
            let number = plan["source"]?["number"]?.stringValue ?? "?"
            guard var payload = plan["payload"]?.objectValue else {
                Issue.record("\(number): no payload")
                continue
            }
            let guid = String(format: "00000000-0000-4000-8000-%012d", n + 1)
            payload["Guid"] = .string(guid)
            let body = JSONValue.object(payload).serialized()
            let created = try await sandbox.call("POST", "/SalesOrders/\(guid)", id: "e2e-id", key: "e2e-key", body: body)
            #expect(created.status == 201, "\(number) was refused: \(created.json.serialized())")
            let stored = try await sandbox.call("GET", "/SalesOrders/\(guid)", id: "e2e-id", key: "e2e-key")
            #expect(stored.status == 200)
            for field in ["SubTotal", "TaxTotal", "Total"] {
                let planned = payload[field]?.numberValue?.decimal
                let kept = stored.json[field]?.numberValue?.decimal
                #expect(planned != nil && planned == kept, "\(number) \(field): planned \(String(describing: planned)), stored \(String(describing: kept))")
            }
            #expect(stored.json["SalesOrderLines"]?.arrayValue?.count == payload["SalesOrderLines"]?.arrayValue?.count)
        }
    }
}
