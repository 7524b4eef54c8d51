import Batch
import Foundation
import Ledger
import TestSupport

/// What the reliability tests share: a generated batch with its sandbox seed in a scratch
/// folder, an import run against a sandbox, and the sales orders read back through the API.
struct ImportHarness {
    static let (apiID, apiKey) = (ChaosImportEndToEndTests.apiID, ChaosImportEndToEndTests.apiKey)

    let folder: URL
    let batch: String
    let seed: String

    /// A scratch folder holding `orders` generated orders (envelope) and the seed naming their customers and products.
    init(orders: Int, seed generatorSeed: UInt64, name: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        batch = folder.appendingPathComponent("batch.json").path
        seed = folder.appendingPathComponent("seed.yaml").path
        let generator = SyntheticBatch(orders: orders, seed: generatorSeed, shape: .envelope)
        generator.write(to: try OutputSink(path: batch))
        try generator.sandboxSeed.write(toFile: seed, atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// A sandbox with this harness's credentials and seed, and `more` arguments.
    func sandbox(_ more: [String] = []) async throws -> SandboxEndToEndTests.RunningSandbox {
        try await SandboxEndToEndTests.RunningSandbox.start(["--api-id", Self.apiID, "--api-key", Self.apiKey, "--seed", seed] + more)
    }

    static func environment(_ sandbox: SandboxEndToEndTests.RunningSandbox) -> [String: String] {
        ["UNLEASHED_API_ID": apiID, "UNLEASHED_API_KEY": apiKey, "UNLEASHED_API_URL": sandbox.baseURL]
    }

    /// One `omsync import` of `batch` (json summary) on `ledger`.
    func importOnce(_ batch: String, ledger: String, into sandbox: SandboxEndToEndTests.RunningSandbox,
                    concurrency: Int = 4) async throws -> (run: OMSyncBinary.Run, summary: JSONValue?) {
        let run = try await OMSyncBinary.run(["import", batch, "--ledger", ledger, "--concurrency", "\(concurrency)", "--format", "json"],
                                       environment: Self.environment(sandbox))
        return (run, try? JSONValue.parse(run.output))
    }

    /// Imports until no order is left failed (at most `rounds` runs); the runs' statuses and summaries.
    func importUntilSettled(_ batch: String, ledger: String, into sandbox: SandboxEndToEndTests.RunningSandbox,
                            rounds: Int = 5) async throws -> [String] {
        var log: [String] = []
        for _ in 0..<rounds {
            let (run, summary) = try await importOnce(batch, ledger: ledger, into: sandbox)
            log.append("exit \(run.status): \(run.output.prefix(400)) \(run.errors.prefix(400))")
            if run.status != 4, summary?["counts"]?["failed"]?.numberValue?.int == 0 { break }
        }
        return log
    }

    /// The sales orders omsync made (customer reference starting `OM`), read through the Unleashed API.
    static func salesOrders(_ sandbox: SandboxEndToEndTests.RunningSandbox) throws -> [JSONValue] {
        try ChaosImportEndToEndTests.allSalesOrders(sandbox).filter { ($0["CustomerRef"]?.stringValue ?? "").hasPrefix("OM") }
    }

    /// The live sales orders (not taken out of the way into `OM_DELETE` or deleted) by customer reference.
    static func live(_ orders: [JSONValue]) -> [String: [JSONValue]] {
        let live = orders.filter {
            $0["Warehouse"]?["WarehouseCode"]?.stringValue != "OM_DELETE" && $0["OrderStatus"]?.stringValue != "Deleted"
        }
        return Dictionary(grouping: live) { $0["CustomerRef"]?.stringValue ?? "" }
    }

    /// The sandbox's call counts by endpoint.
    static func calls(_ sandbox: SandboxEndToEndTests.RunningSandbox) throws -> [String: Int] {
        let meter = try JSONValue.parse(Array(try BlockingHTTP.get(sandbox.baseURL + "/_sandbox/calls")))
        var counts: [String: Int] = [:]
        for (endpoint, value) in meter["byEndpoint"]?.objectValue ?? JSONObject() { counts[endpoint] = value.numberValue?.int ?? 0 }
        return counts
    }

    /// The ledger's rows.
    static func rows(_ ledger: String) async throws -> [OrderRecord] {
        try await SQLiteLedger(path: ledger).orders(OrderFilter())
    }

    /// A copy of the envelope batch at `source` in which every `editEvery`-th order (from the
    /// first) has one more of its first line and a later `updatedAt`, and every `cancelEvery`-th
    /// (from the second) is cancelled. Returns the copy's path and the order numbers changed.
    func editedCopy(of source: String, named name: String, editEvery: Int, cancelEvery: Int) throws
        -> (path: String, edited: Set<String>, cancelled: Set<String>) {
        let document = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: source))))
        guard case .object(var envelope) = document, let data = envelope["data"]?.arrayValue else {
            throw SandboxEndToEndTests.RunningSandbox.Failure(description: "\(source) is not an envelope")
        }
        var edited: Set<String> = [], cancelled: Set<String> = []
        var orders: [JSONValue] = []
        for (index, value) in data.enumerated() {
            guard case .object(var order) = value, let number = order["orderNumber"]?.stringValue else { orders.append(value); continue }
            if index % editEvery == 0, case .array(var lines)? = order["lineItems"], case .object(var line)? = lines.first,
               let quantity = line["quantity"]?.numberValue?.int {
                line["quantity"] = .number(JSONNumber(quantity + 1))
                lines[0] = .object(line)
                order["lineItems"] = .array(lines)
                order["updatedAt"] = .string("2030-01-01T00:00:00.000Z")
                edited.insert(number)
            } else if index % cancelEvery == 1 {
                order["status"] = .string("Cancelled")
                order["orderStatus"] = .string("Cancelled")
                order["cancelledAt"] = .string("2030-01-01T00:00:00.000Z")
                order["updatedAt"] = .string("2030-01-01T00:00:00.000Z")
                cancelled.insert(number)
            }
            orders.append(.object(order))
        }
        envelope["data"] = .array(orders)
        let copy = path(name)
        try Data(JSONValue.object(envelope).serialized().utf8).write(to: URL(fileURLWithPath: copy))
        return (copy, edited, cancelled)
    }
}
