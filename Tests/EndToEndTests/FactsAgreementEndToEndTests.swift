import Batch
import Foundation
import Ledger
import Testing
import TestSupport

/// One facts path: the same batch, whose orders stand in every state the ledger knows (new,
/// pushed and unchanged, changed, cancelled, superseded, blocked, with a customer mapping set by
/// hand), planned through `preview`, `import --dry-run` and serve's API gets the same action and
/// the same payload for every order; and `preview --against-unleashed` says what the import then does.
@Suite(.serialized) struct FactsAgreementEndToEndTests {
    /// Each order's (action, payload) by Ordermentum id, from plan objects.
    static func plans(_ objects: [JSONValue]) -> [String: String] {
        var result: [String: String] = [:]
        for plan in objects {
            guard let id = plan["source"]?["id"]?.stringValue ?? plan["id"]?.stringValue else { continue }
            result[id] = (plan["action"]?.stringValue ?? "?") + " " + (plan["payload"]?.serialized() ?? "null")
        }
        return result
    }

    /// `batch` without its last `dropping` orders, written next to it as `name`.
    static func prefix(of batch: String, dropping: Int, name: String, harness: ImportHarness) throws -> String {
        guard case .object(var envelope) = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: batch)))),
              let data = envelope["data"]?.arrayValue else { throw SandboxEndToEndTests.RunningSandbox.Failure(description: "not an envelope") }
        envelope["data"] = .array(Array(data.dropLast(dropping)))
        let path = harness.path(name)
        try Data(JSONValue.object(envelope).serialized().utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func previewImportDryRunAndServePlanEveryOrderAlike() async throws {
        let harness = try ImportHarness(orders: 24, seed: 11, name: "facts-agree")
        defer { harness.remove() }
        let sandbox = try await harness.sandbox()
        let environment = ImportHarness.environment(sandbox)
        let ledger = harness.path("ledger.sqlite")
        // The ledger: 18 orders pushed; one then edited by a person in Unleashed; then an edit of
        // every second order and a cancellation of some (replace, supersede, block recorded).
        let first = try Self.prefix(of: harness.batch, dropping: 6, name: "first.json", harness: harness)
        _ = try await harness.importOnce(first, ledger: ledger, into: sandbox)
        // The orders by their place in the batch: editedCopy edits every editEvery-th from the
        // first and cancels every cancelEvery-th from the second.
        let ids = (try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: first)))))["data"]?.arrayValue?
            .compactMap { $0["id"]?.stringValue } ?? []
        var rows = try await ImportHarness.rows(ledger)
        func row(_ index: Int) throws -> OrderRecord { try #require(rows.first { $0.sourceID == ids[index] }) }
        // Order 0 is edited in the next batch: the person's edit makes that replace a block.
        let touched = try row(0)
        try await Self.editInUnleashed(sandbox, guid: try #require(touched.guid), comments: "changed by hand")
        let second = try harness.editedCopy(of: first, named: "second.json", editEvery: 2, cancelEvery: 3)
        _ = try await harness.importOnce(second.path, ledger: ledger, into: sandbox)
        // A customer mapping set by hand, to a customer the seed has (the default seed's).
        let customer = try #require(try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: first))))["data"]?.arrayValue?.first?["purchaserId"]?.stringValue)
        let set = try await OMSyncBinary.run(["customers", "set", customer, "ACME", "--ledger", ledger], environment: environment)
        #expect(set.status == 0, "\(set.errors)")
        // Another person's edit after the last import: only Unleashed knows it.
        rows = try await ImportHarness.rows(ledger)
        let states = Set(rows.map(\.state))
        #expect(states.isSuperset(of: [.pushed, .superseded, .blocked]), "every state: \(states)")
        // Order 3 is left as it was by the second batch (pushed) and edited by the third.
        let late = try row(3)
        #expect(late.state == .pushed)
        try await Self.editInUnleashed(sandbox, guid: try #require(late.guid), comments: "changed later")
        // The batch planned: the full one (6 new orders), edited again and with more cancellations.
        let third = try harness.editedCopy(of: harness.batch, named: "third.json", editEvery: 3, cancelEvery: 4)

        let preview = try await OMSyncBinary.run(["preview", third.path, "--ledger", ledger, "--format", "ndjson"])
        let previewed = Self.plans(preview.output.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) })
        let dryRun = try await OMSyncBinary.run(["import", third.path, "--dry-run", "--ledger", ledger, "--format", "json"])
        let dry = Self.plans(try JSONValue.parse(dryRun.output)["orders"]?.arrayValue ?? [])
        #expect(previewed.count == 24, "\(preview.errors)")
        #expect(dry == previewed, "import --dry-run and preview differ")
        let actions = Set(previewed.values.map { String($0.prefix { $0 != " " }) })
        #expect(actions.isSuperset(of: ["create", "replace", "supersede", "skip", "block"]), "every action: \(actions)")
        // Order 2 was edited by the second batch (updatedAt 2030); the third holds its older copy:
        // skipped as an older copy (state.stale), never rolled back.
        #expect(previewed[ids[2]]?.hasPrefix("skip ") == true, "\(previewed[ids[2]] ?? "nil")")
        let olderCopy = try await OMSyncBinary.run(["preview", third.path, "--ledger", ledger])
        #expect(olderCopy.output.contains("an older copy: updatedAt 2026-"), "\(olderCopy.output.prefix(400))")

        // Serve's API, order by order, in the ledger state.
        let served = try await Self.servePlans(batch: third.path, ledger: ledger, count: 24)
        #expect(served == previewed, "serve and preview differ: \(served.filter { previewed[$0.key] != $0.value }.keys.sorted())")

        // Against Unleashed: the late edit blocks that order instead of replacing it, and the
        // import then does exactly what this preview said.
        let against = try await OMSyncBinary.run(["preview", third.path, "--ledger", ledger, "--format", "ndjson", "--against-unleashed"],
                                                 environment: environment)
        let asked = Self.plans(against.output.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) })
        #expect(asked.count == 24, "\(against.errors)")
        let imported = try await harness.importOnce(third.path, ledger: ledger, into: sandbox)
        #expect(imported.run.status == 0 || imported.run.status == 1, "\(imported.run.errors)")
        let after = Dictionary(uniqueKeysWithValues: try await ImportHarness.rows(ledger).map { ($0.sourceID, $0.lastAction ?? "-") })
        for (id, plan) in asked {
            let action = String(plan.prefix { $0 != " " })
            #expect(after[id] == (action == "invalid" ? after[id] : action), "order \(id): previewed \(action), imported \(after[id] ?? "-")")
        }
        #expect(asked.values.contains { $0.hasPrefix("block") }, "the late edit is seen")
        _ = sandbox.stop()
    }

    /// A person's edit in the Unleashed web app (the sandbox's admin API), off the cooperative pool.
    static func editInUnleashed(_ sandbox: SandboxEndToEndTests.RunningSandbox, guid: String, comments: String) async throws {
        let body = Data(#"{"set":{"Comments":"\#(comments)"},"by":"web.user@example.com"}"#.utf8)
        _ = try await OffPool.run {
            try BlockingHTTP.post(sandbox.baseURL + "/_sandbox/edit/SalesOrders/\(guid)", body: body, headers: ["Content-Type": "application/json"])
        }
    }

    /// Each order's plan as serve's API explains it, in the ledger state.
    static func servePlans(batch: String, ledger: String, count: Int) async throws -> [String: String] {
        try await OffPool.run {
            try ServeProcess.with(["--batch", batch, "--ledger", ledger]) { base, token in
                var explained: [JSONValue] = []
                for index in 0..<count {
                    let answer = try JSONValue.parse(Array(try ServeProcess.post(base, "/api/explain", token: token,
                                                                                json: #"{"state":"ledger","index":\#(index)}"#)))
                    if let plan = answer["selected"]?["plan"] { explained.append(plan) }
                }
                return Self.plans(explained)
            }
        }
    }
}
