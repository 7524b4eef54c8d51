import Batch
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing

@Suite struct FaultTests {
    static func faults(_ change: (inout FaultSettings) -> Void) -> FaultSettings {
        var settings = FaultSettings()
        change(&settings)
        return settings
    }

    @Test func theSameSeedGivesTheSameFaultsInTheSameOrder() {
        let settings = Self.faults { $0.seed = 42; $0.throttleRate = 0.2; $0.errorRate = 0.1; $0.dropRate = 0.1; $0.resetRate = 0.05 }
        var first = FaultInjector(settings: settings), second = FaultInjector(settings: settings)
        let a = (0..<500).map { _ in first.nextFault() }
        let b = (0..<500).map { _ in second.nextFault() }
        #expect(a == b)
        var other = FaultInjector(settings: Self.faults { $0.seed = 43; $0.throttleRate = 0.2; $0.errorRate = 0.1; $0.dropRate = 0.1; $0.resetRate = 0.05 })
        #expect((0..<500).map { _ in other.nextFault() } != a)
        let throttles = a.filter { $0 == .throttle }.count
        #expect((60...140).contains(throttles))
        for kind in FaultKind.allCases { #expect(a.contains(kind)) }
    }

    @Test func jitterVariesTheLatencyWithinItsBoundAndLeavesTheFaultsAsTheyWere() {
        let rates = Self.faults { $0.seed = 42; $0.throttleRate = 0.2; $0.errorRate = 0.1; $0.latencyMs = 20 }
        var plain = FaultInjector(settings: rates)
        var jittered = FaultInjector(settings: Self.faults { $0 = rates; $0.latencyJitterMs = 30 })
        var latencies: [Int] = []
        for _ in 0..<400 {
            latencies.append(jittered.nextLatency())
            #expect(plain.nextLatency() == 20)
            #expect(plain.nextFault() == jittered.nextFault())
        }
        #expect(latencies.allSatisfy { (20...50).contains($0) })
        #expect(Set(latencies).count > 20, "the jitter is drawn, not fixed")
        #expect(latencies.contains { $0 < 25 } && latencies.contains { $0 > 45 })
        var again = FaultInjector(settings: Self.faults { $0 = rates; $0.latencyJitterMs = 30 })
        #expect((0..<400).map { _ in again.nextLatency() } == latencies, "same seed, same jitter")
        var negative = FaultSettings()
        negative.latencyJitterMs = -1
        #expect(negative.validationProblem() == "latencyJitterMs must be between 0 and 600000 (10 minutes)")
    }

    @Test func splitMix64MatchesItsReferenceOutput() {
        var generator = SplitMix64(seed: 1_234_567)
        // Reference values of SplitMix64 (Vigna) for seed 1234567.
        #expect(generator.next() == 6_457_827_717_110_365_317)
        #expect(generator.next() == 3_203_168_211_198_807_973)
    }

    @Test func throttleIs429WithRetryAfterAndAppliesNothing() async throws {
        try await Fixture.withSandbox(faults: Self.faults { $0.throttleRate = 1; $0.retryAfterSeconds = 7 }) { client, sandbox in
            let guid = Fixture.guid(1)
            let response = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            #expect(response.status == .tooManyRequests)
            #expect(response.headers[.retryAfter] == "7")
            #expect(response.errorDescription?.hasPrefix("Too many requests") == true)
            await #expect(throws: APIError.self) { try await sandbox.store.get(.salesOrders, guid: guid) }
        }
    }

    @Test func errorIs500AndAppliesNothing() async throws {
        try await Fixture.withSandbox(faults: Self.faults { $0.errorRate = 1 }) { client, sandbox in
            let guid = Fixture.guid(1)
            let response = try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            #expect(response.status == .internalServerError)
            #expect(response.json["DebugInformation"] == .null)
            await #expect(throws: APIError.self) { try await sandbox.store.get(.salesOrders, guid: guid) }
        }
    }

    @Test func scriptedFaultsComeFirstInOrder() async throws {
        try await Fixture.withSandbox { client, _ in
            let set = try await client.admin(.put, "faults", body: ["next": ["throttle", "none", "error"]])
            #expect(set.json["next"] == ["throttle", "none", "error"])
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 { statuses.append(try await client.call(.get, "/Taxes").status) }
            #expect(statuses == [.tooManyRequests, .ok, .internalServerError, .ok])
        }
    }

    @Test func theQuotaRefusesEveryCallUntilTheMonthEnds() async throws {
        let clock = TestClock()
        try await Fixture.withSandbox(faults: Self.faults { $0.quota = 2 }, clock: clock) { client, _ in
            #expect(try await client.call(.get, "/Taxes").status == .ok)
            #expect(try await client.call(.get, "/Currencies").status == .ok)
            let refused = try await client.call(.get, "/Taxes")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorDescription == "API quota exceeded: 2 of 2 calls used this month; every call is refused until the quota resets at 2026-12-01T00:00:00.000Z.")
            #expect(refused.headers[.retryAfter] == String(4 * 86_400))
            let guid = Fixture.guid(1)
            #expect(try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid))).status == .tooManyRequests)
            let calls = try await client.admin(.get, "calls").json
            #expect(calls["quotaUsed"]?.numberValue?.int == 2)
            #expect(calls["total"]?.numberValue?.int == 4)
            clock.advance(by: 4 * 86_400_000)
            #expect(try await client.call(.get, "/Taxes").status == .ok)
        }
    }

    @Test func latencyDelaysEachCall() async throws {
        // Only a lower bound is timed: a sleep never ends early, however loaded the machine. That the
        // latency is gone once set to 0 is read from the admission itself, not from a wall clock.
        try await Fixture.withSandbox(faults: Self.faults { $0.latencyMs = 300 }) { client, sandbox in
            let start = ContinuousClock.now
            #expect(try await client.call(.get, "/Taxes").status == .ok)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
            let changed = try await client.admin(.put, "faults", body: ["latencyMs": 0, "latencyJitterMs": 5])
            #expect(changed.json["latencyMs"] == 0)
            #expect(changed.json["latencyJitterMs"] == 5)
            _ = try await client.admin(.put, "faults", body: ["latencyJitterMs": 0])
            #expect(try await client.call(.get, "/Taxes").status == .ok)
            guard case .proceed(.none, let latencyMs, _) = await sandbox.store.admit(endpoint: "GET /Taxes", authFailure: nil, chargeable: true) else {
                Issue.record("a call without faults should proceed")
                return
            }
            #expect(latencyMs == 0)
        }
    }

    @Test func commitThenDropAppliesTheWriteAndClosesTheConnectionUnanswered() async throws {
        try await Fixture.withSandbox(.live, faults: Self.faults { $0.dropRate = 1 }) { client, sandbox in
            let guid = Fixture.guid(1)
            await #expect(throws: (any Error).self) {
                try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            }
            let stored = try await sandbox.store.get(.salesOrders, guid: guid)
            #expect(stored["OrderNumber"]?.stringValue == "SO-00000001")
        }
    }

    @Test func connectionResetAppliesNothing() async throws {
        try await Fixture.withSandbox(.live, faults: Self.faults { $0.resetRate = 1 }) { client, sandbox in
            let guid = Fixture.guid(1)
            await #expect(throws: (any Error).self) {
                try await client.call(.post, "/SalesOrders/\(guid)", body: .object(Fixture.order(guid: guid)))
            }
            await #expect(throws: APIError.self) { try await sandbox.store.get(.salesOrders, guid: guid) }
            #expect(await sandbox.store.callsDocument()["total"]?.numberValue?.int == 1)
        }
    }

    @Test(arguments: [
        (["errorRate": 2] as JSONValue, "errorRate must be between 0 and 1, got 2.0"),
        (["dropRate": Fixture.number("0.6"), "throttleRate": Fixture.number("0.6")] as JSONValue, "the fault rates add up to more than 1"),
        (["latency": 5] as JSONValue, "Unknown fault setting 'latency'."),
        (["latencyMs": 600_001] as JSONValue, "latencyMs must be between 0 and 600000 (10 minutes)"),
        (["next": ["explode"]] as JSONValue, "next: unknown fault \"explode\"; use none, error, throttle, reset, drop."),
        (["quota": "lots"] as JSONValue, "quota must be a whole number."),
    ])
    func badFaultSettingsAreRefused(patch: JSONValue, message: String) async throws {
        try await Fixture.withSandbox { client, _ in
            let response = try await client.admin(.put, "faults", body: patch)
            #expect(response.status == .badRequest)
            #expect(response.errorDescription == message)
        }
    }
}

@Suite struct FaultSettingsTests {
    @Test func settingsCanBeReplacedInProcessAndAreValidated() async throws {
        let sandbox = try Fixture.server()
        var settings = FaultSettings()
        settings.errorRate = 1
        try await sandbox.store.setFaults(settings)
        #expect(await sandbox.store.faultSettings().errorRate == 1)
        settings.throttleRate = 0.5
        await #expect(throws: APIError.invalid("the fault rates add up to more than 1")) { try await sandbox.store.setFaults(settings) }
        #expect(await sandbox.store.faultSettings().throttleRate == 0)
    }

    @Test func ratesThatAddUpToExactlyOneAreAccepted() {
        var settings = FaultSettings()
        (settings.errorRate, settings.dropRate, settings.throttleRate, settings.resetRate) = (0.1, 0.2, 0.3, 0.4)
        #expect(settings.validationProblem() == nil)
        settings.resetRate = 0.41
        #expect(settings.validationProblem() == "the fault rates add up to more than 1")
    }
}

@Suite struct FaultDeterminismTests {
    static func statuses(seed: UInt64) async throws -> [HTTPResponse.Status] {
        var settings = FaultSettings()
        settings.seed = seed
        settings.throttleRate = 0.3
        settings.errorRate = 0.2
        return try await Fixture.withSandbox(faults: settings) { client, _ in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<40 { statuses.append(try await client.call(.get, "/Taxes").status) }
            return statuses
        }
    }

    @Test func theSameFaultSeedGivesTheSameResponsesOverHTTP() async throws {
        let first = try await Self.statuses(seed: 7)
        #expect(try await Self.statuses(seed: 7) == first)
        #expect(try await Self.statuses(seed: 8) != first)
        #expect(first.contains(.tooManyRequests) && first.contains(.internalServerError) && first.contains(.ok))
    }
}

@Suite struct ConcurrencyTests {
    @Test func concurrentCreatesGetDistinctNumbers() async throws {
        try await Fixture.withSandbox { client, sandbox in
            let numbers = try await withThrowingTaskGroup(of: String?.self) { group in
                for i in 1...50 {
                    group.addTask {
                        let response = try await client.call(.post, "/SalesOrders/\(Fixture.guid(i))", body: .object(Fixture.order(guid: Fixture.guid(i))))
                        return response.json["OrderNumber"]?.stringValue
                    }
                }
                var numbers: [String] = []
                for try await number in group { if let number { numbers.append(number) } }
                return numbers
            }
            #expect(numbers.count == 50)
            #expect(Set(numbers).count == 50)
            #expect(Set(numbers) == Set((1...50).map { String(format: "SO-%08d", $0) }))
            let listed = await sandbox.store.callsDocument()["byEndpoint"]?["POST /SalesOrders/{guid}"]
            #expect(listed == 50)
        }
    }
}
