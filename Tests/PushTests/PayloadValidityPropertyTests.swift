import Batch
import Foundation
import Pipeline
import Rules
import Sandbox
import TestSupport
import Testing
import Unleashed

/// Property: a payload the pipeline produces for a generated order passes the sandbox's own
/// validation (the code behind `POST /SalesOrders/{guid}`, in process). Hundreds of seeded
/// batches from `SyntheticBatch` (every shape), planned with the shipped rules against the
/// sandbox seed the generator writes; every `create` plan without errors is sent to the
/// sandbox store (its customer and freight product first, when the plan says to create them,
/// as the push stage does). A failure prints the seed, so `SyntheticBatch(orders:seed:shape:)`
/// gives the order back.
@Suite struct PayloadValidityPropertyTests {
    static let seeds: [UInt64] = Array(1...300)
    static let ordersPerBatch = 3

    static let pipeline: Result<CompiledPipeline, FixtureFailure> = {
        let result = RuleLoader.load(directory: Project.path("rules"))
        guard let ruleSet = result.ruleSet, let settings = result.settings else { return .failure(FixtureFailure(result.render(color: false))) }
        do { return .success(try CompiledPipeline(ruleSet: ruleSet, settings: settings)) } catch { return .failure(FixtureFailure("\(error)")) }
    }()

    /// The warehouses of the sandbox's built-in seed (the generator's seed is based on it).
    static let warehouses: Set<String> = {
        let pattern = /WarehouseCode: ([A-Z_]+)/
        return Set(DefaultSeed.yaml.matches(of: pattern).map { String($0.output.1) })
    }()

    @Test func theBuiltInSeedHasWarehouses() {
        #expect(Self.warehouses.contains("MAIN"))
        #expect(Self.warehouses.count >= 3)
    }

    @Test func payloadsOfGeneratedOrdersPassTheSandboxsValidation() async throws {
        let pipeline = try Self.pipeline.get()
        var created = 0
        var failures: [String] = []
        // The generator's seed names the same customers and products for every seed of one batch size.
        let sandbox = try SandboxServer(configuration: Self.configuration(seed: SyntheticBatch(orders: Self.ordersPerBatch).sandboxSeed))
        var known = try Self.codes(in: await sandbox.store.stateDocument())
        for seed in Self.seeds {
            await Task.yield()   // a long loop of synchronous work: let the other tests' tasks run between batches
            let shape = SyntheticBatch.Shape.allCases[Int(seed) % SyntheticBatch.Shape.allCases.count]
            let batch = SyntheticBatch(orders: Self.ordersPerBatch, seed: seed, shape: shape)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("property-\(getpid())-\(seed).json").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let sink = try OutputSink(path: path)
            batch.write(to: sink)
            sink.flush()
            let reader = try BatchReader(path: path)
            for item in reader {
                guard case .record(let record) = item else {
                    failures.append("seed \(seed) (\(shape)): the generated batch has a problem: \(item)")
                    continue
                }
                let plan = pipeline.plan(record, reference: ReferenceData(warehouses: Self.warehouses))
                guard plan.action == .create, !plan.hasErrors else { continue }
                if let problem = await Self.push(plan, to: sandbox.store, known: &known, guid: "00000000-0000-4000-8000-\(String(format: "%012d", created))") {
                    failures.append("seed \(seed) (\(shape)), \(plan.label): \(problem)")
                }
                created += 1
            }
        }
        #expect(failures.isEmpty, "\(failures.count) payloads refused:\n\(failures.prefix(10).joined(separator: "\n"))")
        // The property is only worth something when most generated orders are created.
        #expect(created >= Self.seeds.count * Self.ordersPerBatch / 2, "only \(created) create plans")
    }

    /// Sends the plan's records and order to the store; nil when all were accepted, else why not.
    static func push(_ plan: OrderPlan, to store: SandboxStore, known: inout Set<String>, guid: String) async -> String? {
        do {
            // As the push stage does: the customer and the freight product are created only when the account lacks them.
            if let customer = plan.customer, let body = try? object(customer.payload),
               let code = body["CustomerCode"]?.stringValue, !known.contains(code) {
                _ = try await store.upsertMaster(.customers, guid: "c" + guid.dropFirst(), body: body)
                known.insert(code)
            }
            if let product = plan.freightProduct, let body = try? object(product.payload),
               let code = body["ProductCode"]?.stringValue, !known.contains(code) {
                _ = try await store.upsertMaster(.products, guid: "d" + guid.dropFirst(), body: body)
                known.insert(code)
            }
            // The body the client sends: the payload with its GUID.
            let body = try JSONValue.parse(UnleashedClient.createBody(guid: guid, payload: plan.payload.bytes)).objectValue ?? JSONObject()
            _ = try await store.createOrder(guid: guid, body: body)
            return nil
        } catch {
            return "\(error) for \(plan.payload.text.prefix(600))"
        }
    }

    /// Every customer and product code in the sandbox's state document.
    static func codes(in state: [UInt8]) throws -> Set<String> {
        var found: Set<String> = []
        func visit(_ value: JSONValue) {
            switch value {
            case .object(let object):
                for (key, child) in object {
                    if key == "CustomerCode" || key == "ProductCode", let code = child.stringValue { found.insert(code) }
                    visit(child)
                }
            case .array(let array): array.forEach(visit)
            default: break
            }
        }
        visit(try JSONValue.parse(state))
        return found
    }

    static func object(_ payload: Payload) throws -> JSONObject {
        guard let object = try JSONValue.parse(payload.bytes).objectValue else { throw FixtureFailure("the payload is not an object") }
        return object
    }

    static func configuration(seed: String) -> SandboxConfiguration {
        var configuration = SandboxConfiguration(credentials: SandboxCredentials(apiId: "property", apiKey: "property-key"))
        configuration.seed = (seed, "generated seed")
        return configuration
    }
}

/// A fixture that could not be set up.
struct FixtureFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
