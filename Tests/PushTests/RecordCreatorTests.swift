import Foundation
@testable import Push
import Testing

/// Each customer or freight product is created at most once a run, whatever the interleaving of
/// the orders that need it.
@Suite struct RecordCreatorTests {
    actor Calls {
        private(set) var count = 0
        func add() { count += 1 }
    }

    /// The interleaving the push stage can meet: an order saw the customer missing from the index,
    /// and another order finished creating it before the first one asked. The first one gets the
    /// GUID already made, not a second creation (which Unleashed refuses as a duplicate code).
    @Test func aCreationThatFinishedIsNotRepeated() async throws {
        let creator = RecordCreator(), calls = Calls()
        let first = try await creator.once("CUST-B") { await calls.add(); return "guid-1" }
        let second = try await creator.once("cust-b") { await calls.add(); return "guid-2" }
        #expect(first == "guid-1")
        #expect(second == "guid-1")
        #expect(await calls.count == 1)
    }

    @Test func ordersAskingAtTheSameTimeShareOneCreation() async throws {
        let creator = RecordCreator(), calls = Calls()
        let guids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await creator.once("FREIGHT") {
                        await calls.add()
                        try await Task.sleep(for: .milliseconds(50))
                        return "guid-f"
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(guids == Array(repeating: "guid-f", count: 20))
        #expect(await calls.count == 1)
    }

    struct Refused: Error {}

    @Test func aFailedCreationIsTriedAgainByTheNextOrder() async throws {
        let creator = RecordCreator(), calls = Calls()
        await #expect(throws: Refused.self) {
            try await creator.once("CUST-C") { await calls.add(); throw Refused() }
        }
        let guid = try await creator.once("CUST-C") { await calls.add(); return "guid-2" }
        #expect(guid == "guid-2")
        #expect(await calls.count == 2)
        // Codes are separate records.
        #expect(try await creator.once("CUST-D") { await calls.add(); return "guid-3" } == "guid-3")
        #expect(await calls.count == 3)
    }
}
