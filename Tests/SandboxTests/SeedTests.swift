import Batch
import Foundation
@testable import Sandbox
import UnleashedContract
import TestSupport
import Testing

@Suite struct SeedTests {

    @Test func theBuiltInSeedIsTheSampleFile() throws {
        let sample = try String(contentsOf: Project.url("samples/sandbox-seed.yaml"), encoding: .utf8)
        #expect(DefaultSeed.yaml == sample)
    }

    @Test func theDefaultSeedHasWhatTheIssueAsksFor() throws {
        let state = try SeedLoader.state(from: SeedLoader.parse(DefaultSeed.yaml, source: "built-in"), source: "built-in", nowMs: 0, user: "u")
        for code in ["MAIN", "OM_DELETE"] { #expect(state[.warehouses].record(code: code) != nil) }
        #expect(state[.taxes].record(code: "G.S.T.")?.body["TaxRate"] == Fixture.number("0.1"))
        #expect(state[.taxes].record(code: "NONE")?.body["TaxRate"] == 0)
        #expect(state[.currencies].record(code: "AUD") != nil)
        for resource in [Resource.products, .customers, .salespersons, .salesOrderGroups, .deliveryMethods] {
            #expect(state[resource].count >= 2, "\(resource)")
        }
        #expect(state[.products].record(code: "OM_FREIGHT")?.body["NeverDiminishing"] == true)
        #expect(state[.salesOrders].record(code: "SO-00000002")?.body["OrderStatus"] == "Completed")
        #expect(state.nextOrderNumber == 3)
    }

    @Test func derivedGuidsAreStableAndJSONSeedsWork() throws {
        let json = #"{"warehouses": [{"WarehouseCode": "W1"}], "taxes": [{"TaxCode": "T", "TaxRate": 0.125}]}"#
        let first = try SeedLoader.state(from: SeedLoader.parse(json, source: "a.json"), source: "a.json", nowMs: 0, user: "u")
        let second = try SeedLoader.state(from: SeedLoader.parse(json, source: "a.json"), source: "a.json", nowMs: 5, user: "u")
        let guid = try #require(first[.warehouses].record(code: "W1")?.guid)
        #expect(UnleashedGuid.isValid(guid))
        #expect(second[.warehouses].record(code: "w1")?.guid == guid)
        #expect(first[.taxes].record(code: "T")?.body["TaxRate"] == Fixture.number("0.125"))
    }

    @Test(arguments: [
        ("invoices: []", "seed: unknown key 'invoices'"),
        ("warehouses: MAIN", "seed: warehouses must be a list"),
        ("warehouses: [{ WarehouseName: No code }]", "seed: warehouses[0]: WarehouseCode is required."),
        ("warehouses: [{ WarehouseCode: A }, { WarehouseCode: a }]", "seed: warehouses[1]: WarehouseCode 'a' is used twice."),
        ("warehouses: [{ WarehouseCode: SIXTEEN-CHARS-XX }]", "seed: warehouses[0]: WarehouseCode is longer than 15 characters (16)."),
        ("customers: [{ CustomerCode: C }]", "seed: customers[0]: Customer name is required (CustomerName)."),
        ("salesOrders: [{ OrderStatus: Parked }]", "seed: salesOrders[0]: Customer code is required (Customer.CustomerCode)."),
        ("taxes: [{ TaxCode: T, TaxRate: .inf }]", "seed: line 1: the number '.inf' cannot be used; write it in decimal"),
        ("warehouses: [ {", "seed: not valid YAML"),
        // Issue 7, item 1: anchors and aliases are refused before anything is expanded.
        ("x: &w { WarehouseCode: A }\nwarehouses: [*w]", "seed:1:4: YAML anchors are not allowed in seeds (found `&w`)"),
        ("warehouses:\n  - &w MAIN", "seed:2:5: YAML anchors are not allowed in seeds (found `&w`)"),
        ("warehouses: [*undefined]", "seed:1:14: YAML aliases are not allowed in seeds (found `*undefined`)"),
    ])
    func badSeedsAreExplained(text: String, message: String) {
        #expect {
            _ = try SeedLoader.state(from: SeedLoader.parse(text, source: "seed"), source: "seed", nowMs: 0, user: "u")
        } throws: { error in
            (error as? SandboxSetupError)?.message.hasPrefix(message) == true
        }
    }
}

/// Issue 7, item 1: a seed with nested aliases (billion laughs) used to expand without bound
/// (100% CPU, memory growing, the sandbox never started); a plain `&x`/`*x` pair was served expanded.
@Suite struct SeedAliasTests {
    static let laughs: String = {
        var lines = ["a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
        for n in 1...30 { lines.append("a\(n): &a\(n) [" + Array(repeating: "*a\(n - 1)", count: 9).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n") + "\nwarehouses: *a30\n"
    }()

    static let advice = "write the value out in full where it is used (use `generate:` for many similar records)"

    /// Runs `work` on its own thread and waits at most `seconds` (without blocking the test pool):
    /// a regression fails the test instead of hanging the suite (the runaway thread is left behind).
    static func finishes<T: Sendable>(within seconds: Int, _ work: @escaping @Sendable () -> T) async -> T? {
        let once = ResumeOnce<T>()
        return await withCheckedContinuation { continuation in
            once.install(continuation)
            Thread.detachNewThread { once.resume(work()) }
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) { once.resume(nil) }
        }
    }

    @Test func billionLaughsIsRefusedBeforeAnyExpansion() async throws {
        let message = await Self.finishes(within: 20) { () -> String in
            do {
                _ = try SeedLoader.parse(Self.laughs, source: "laughs.yaml")
                return "no error"
            } catch {
                return (error as? SandboxSetupError)?.message ?? "\(error)"
            }
        }
        let refusal = try #require(message, "parsing the billion-laughs seed did not finish within 20 s")
        #expect(refusal == "laughs.yaml:1:5: YAML anchors are not allowed in seeds (found `&a0`); \(Self.advice)")
    }

    @Test func billionLaughsSeedNeverStartsTheSandbox() async throws {
        let message = await Self.finishes(within: 20) { () -> String in
            var configuration = Fixture.configuration()
            configuration.seed = (Self.laughs, "bomb.yaml")
            do {
                _ = try SandboxServer(configuration: configuration)
                return "no error"
            } catch {
                return (error as? SandboxSetupError)?.message ?? "\(error)"
            }
        }
        let refusal = try #require(message, "starting on the billion-laughs seed did not finish within 20 s")
        #expect(refusal.hasPrefix("bomb.yaml:1:5: YAML anchors are not allowed in seeds"))
    }

    /// The refusal comes before composition: were the check after it, the syntax error at the end
    /// would be reported instead (and, without the syntax error, the expansion would never end).
    @Test func aliasesAreRefusedBeforeTheDocumentIsComposed() {
        #expect {
            _ = try SeedLoader.parse(Self.laughs + "taxes: [ {\n", source: "laughs.yaml")
        } throws: { error in
            (error as? SandboxSetupError)?.message.hasPrefix("laughs.yaml:1:5: YAML anchors are not allowed in seeds") == true
        }
    }

    @Test func aSimpleAnchorAndAliasPairIsRefusedWithItsPlace() throws {
        var configuration = Fixture.configuration()
        configuration.seed = ("warehouses:\n  - &main { WarehouseCode: MAIN, WarehouseName: Main }\n  - *main\n", "pair.yaml")
        #expect {
            _ = try SandboxServer(configuration: configuration)
        } throws: { error in
            (error as? SandboxSetupError)?.message == "pair.yaml:2:5: YAML anchors are not allowed in seeds (found `&main`); \(Self.advice)"
        }
    }

    @Test func aliasOnItsOwnIsNamedAsAnAlias() {
        #expect {
            _ = try SeedLoader.parse("currencies:\n  - { CurrencyCode: AUD }\n  - *aud\n", source: "alias.yaml")
        } throws: { error in
            (error as? SandboxSetupError)?.message == "alias.yaml:3:5: YAML aliases are not allowed in seeds (found `*aud`); \(Self.advice)"
        }
    }

    @Test func plainSeedsStillLoad() throws {
        let value = try SeedLoader.parse("warehouses: [{ WarehouseCode: A, WarehouseName: \"A & B\", Note: '*not an alias' }]", source: "ok.yaml")
        #expect(value["warehouses"]?[0]?["WarehouseName"]?.stringValue == "A & B")
        #expect(value["warehouses"]?[0]?["Note"]?.stringValue == "*not an alias")
        #expect(try SeedLoader.parse("", source: "empty.yaml") == .object(JSONObject()))
    }

    /// JSON seeds have no aliases; `&` and `*` in their text are text.
    @Test func jsonSeedsKeepAmpersandsAndStarsAsText() throws {
        let value = try SeedLoader.parse(#"{"warehouses": [{"WarehouseCode": "*a", "WarehouseName": "&b"}]}"#, source: "a.json")
        #expect(value["warehouses"]?[0]?["WarehouseCode"]?.stringValue == "*a")
    }

    /// State files are JSON only: YAML (a billion-laughs file included) is refused as not JSON,
    /// at once, and never reaches a YAML parser.
    @Test func aYAMLStateFileIsRefusedAsNotJSONWithoutExpanding() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.laughs.write(toFile: path, atomically: true, encoding: .utf8)
        let message = await Self.finishes(within: 20) { () -> String in
            do {
                _ = try Fixture.server(statePath: path)
                return "no error"
            } catch {
                return (error as? SandboxSetupError)?.message ?? "\(error)"
            }
        }
        let refusal = try #require(message, "loading a YAML state file did not finish within 20 s")
        #expect(refusal.hasPrefix("the state file \(path) is not valid JSON"), "\(refusal)")
    }
}

/// Resumes a continuation with the first value it is given (the work's result or the timeout's nil).
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T?, Never>?
    func install(_ continuation: CheckedContinuation<T?, Never>) { lock.withLock { self.continuation = continuation } }
    func resume(_ value: T?) {
        let pending = lock.withLock { () -> CheckedContinuation<T?, Never>? in
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(returning: value)
    }
}

@Suite struct SeedGeneratorTests {
    static let benchSeed = """
        generate:
          - { collection: customers, start: 0, count: 2000,
              fields: { CustomerCode: "CUST{n:05}", CustomerName: "Venue {n} Pty Ltd", Email: "orders{n}@venue.example" } }
          - { collection: products, count: 800, fields: { ProductCode: "SKU{n:04}", ProductDescription: "Product SKU{n:04}" } }
          - { collection: products, count: 3, fields: { ProductCode: "U-SKU{n:04}", ProductDescription: "{n} of {n}, {x}" } }
        customers: [{ CustomerCode: FIRST, CustomerName: Listed first, Email: f@x }]
        """

    @Test func templatesMakeNumberedRecordsAfterTheListedOnes() throws {
        let state = try SeedLoader.state(from: SeedLoader.parse(Self.benchSeed, source: "bench"), source: "bench", nowMs: 0, user: "u")
        #expect(state[.customers].count == 2001)
        #expect(state[.customers].records.first?.code == "FIRST")
        #expect(state[.customers].records[1].code == "CUST00000")
        #expect(state[.customers].record(code: "CUST01999")?.body["Email"] == "orders1999@venue.example")
        #expect(state[.customers].record(code: "CUST02000") == nil)
        #expect(state[.products].count == 803)
        #expect(state[.products].record(code: "SKU0800")?.body["ProductDescription"] == "Product SKU0800")
        #expect(state[.products].record(code: "U-SKU0003")?.body["ProductDescription"] == "3 of 3, {x}")
    }

    @Test func aSeedCanStartFromTheBuiltInOne() throws {
        let text = "base: default\nwarehouses: [{ WarehouseCode: EXTRA }]\n" + Self.benchSeed.replacingOccurrences(of: "FIRST", with: "ACME9")
        let state = try SeedLoader.state(from: SeedLoader.parse(text, source: "bench"), source: "bench", nowMs: 0, user: "u")
        #expect(state[.warehouses].record(code: "OM_DELETE") != nil)
        #expect(state[.warehouses].records.last?.code == "EXTRA")
        #expect(state[.customers].record(code: "BEAN001") != nil)
        #expect(state[.customers].record(code: "CUST00042") != nil)
        #expect(state[.salesOrders].count == 2)
        #expect(throws: SandboxSetupError.self) {
            try SeedLoader.state(from: SeedLoader.parse("base: other", source: "b"), source: "b", nowMs: 0, user: "u")
        }
    }

    @Test(arguments: [
        ("generate: { collection: customers }", "bench: generate must be a list"),
        ("generate: [{ collection: invoices, count: 1, fields: {} }]", "bench: generate[0]: collection must be one of"),
        ("generate: [{ collection: products, count: -1, fields: {} }]", "bench: generate[0]: count must be a whole number from 0 to 200000"),
        ("generate: [{ collection: products, count: 1 }]", "bench: generate[0]: fields must be a mapping"),
        ("generate: [{ collection: products, start: 9223372036854775807, count: 2, fields: {} }]",
         "bench: generate[0]: start must be a whole number from -1000000000000 to 1000000000000"),
        ("generate: [{ collection: products, count: 1, fields: {}, every: 2 }]", "bench: generate[0]: unknown key 'every'"),
        ("generate: [{ collection: products, count: 2, fields: { ProductCode: SAME, ProductDescription: d } }]",
         "bench: products[1]: ProductCode 'SAME' is used twice."),
    ])
    func badTemplatesAreExplained(text: String, message: String) {
        #expect {
            _ = try SeedLoader.state(from: SeedLoader.parse(text, source: "bench"), source: "bench", nowMs: 0, user: "u")
        } throws: { error in
            (error as? SandboxSetupError)?.message.hasPrefix(message) == true
        }
    }
}

/// The seed `omsync generate --sandbox-seed` writes holds everything its batch names.
@Suite struct SyntheticSeedTests {
    @Test func theGeneratedSeedHoldsEveryCodeTheBatchNames() throws {
        let generator = SyntheticBatch(orders: 600, seed: 4, shape: .ndjson)
        let state = try SeedLoader.state(from: SeedLoader.parse(generator.sandboxSeed, source: "generated"),
                                         source: "generated", nowMs: 0, user: "u")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        generator.write(to: try OutputSink(path: path))
        var customers = Set<String>(), products = Set<String>(), warehouses = Set<String>()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let order = try JSONValue.parse(String(line))
            let properties = order["purchaser"]?["properties"]
            if let code = properties?["unleashed_customer_code"]?.stringValue { customers.insert(code) }
            for warehouse in [properties?["unleashed_warehouse"], order["properties"]?["unleashed_warehouse"]] {
                if let code = warehouse?.stringValue { warehouses.insert(code) }
            }
            if properties?["unleashed_freight_product_id"]?.stringValue != nil { products.insert("FREIGHT") }
            for item in order["lineItems"]?.arrayValue ?? [] {
                if let sku = item["SKU"]?.stringValue { products.insert(sku) }
                if let code = item["product"]?["properties"]?["unleashed_product_code"]?.stringValue { products.insert(code) }
            }
        }
        #expect(customers.count == 60)
        #expect(warehouses == ["MAIN", "SYD", "MEL", "BNE"])
        #expect(products.count > 700)
        for code in customers { #expect(state[.customers].record(code: code) != nil, "customer \(code)") }
        for code in warehouses { #expect(state[.warehouses].record(code: code) != nil, "warehouse \(code)") }
        for code in products { #expect(state[.products].record(code: code) != nil, "product \(code)") }
    }
}
