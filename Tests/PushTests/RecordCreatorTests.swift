import Foundation
@testable import Push
import Testing
import Unleashed

/// Each customer or freight product is created at most once a run, whatever the interleaving of
/// the orders that need it; a creation whose outcome is unknown is tried again under the same
/// GUID; one Unleashed refused is not asked again.
@Suite struct RecordCreatorTests {
    actor Calls {
        private(set) var guids: [String] = []
        func add(_ guid: String) { guids.append(guid) }
    }

    /// The interleaving the push stage can meet: an order saw the customer missing from the index,
    /// and another order finished creating it before the first one asked. The first one gets the
    /// GUID already made, not a second creation (which Unleashed refuses as a duplicate code).
    @Test func aCreationThatFinishedIsNotRepeated() async throws {
        let creator = RecordCreator(), calls = Calls()
        let first = try await creator.once("CUST-B") { guid in await calls.add(guid); return guid }
        let second = try await creator.once("cust-b") { guid in await calls.add(guid); return "another" }
        #expect(second == first)
        #expect(await calls.guids == [first])
    }

    @Test func ordersAskingAtTheSameTimeShareOneCreation() async throws {
        let creator = RecordCreator(), calls = Calls()
        let guids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await creator.once("FREIGHT") { guid in
                        await calls.add(guid)
                        try await Task.sleep(for: .milliseconds(50))
                        return guid
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(guids).count == 1 && guids.count == 20)
        #expect(await calls.guids.count == 1)
    }

    /// A timeout or a dropped connection: the first POST may have landed, so the next order's
    /// attempt is the same create-or-update under the same GUID, never a second record.
    @Test func anUnknownOutcomeIsTriedAgainUnderTheSameGuid() async throws {
        let creator = RecordCreator(), calls = Calls()
        let lost = UnleashedError.unavailable(endpoint: "POST /Customers/{guid}", reason: "timed out", outcomeUnknown: true)
        await #expect(throws: UnleashedError.self) {
            try await creator.once("CUST-C") { guid in await calls.add(guid); throw lost }
        }
        let guid = try await creator.once("CUST-C") { guid in await calls.add(guid); return guid }
        #expect(await calls.guids == [guid, guid])
        // Another code is another record.
        let other = try await creator.once("CUST-D") { guid in await calls.add(guid); return guid }
        #expect(other != guid)
    }

    /// Unleashed refused the record (a 4xx): every later order that needs it gets the same
    /// refusal at once, without another call.
    @Test func aRefusalIsRememberedForTheRun() async throws {
        let creator = RecordCreator(), calls = Calls()
        let refusal = UnleashedError.refused(endpoint: "POST /Customers/{guid}", status: 400,
                                             description: "A customer needs a contact.", body: "")
        for _ in 0..<3 {
            do {
                _ = try await creator.once("CUST-E") { guid in await calls.add(guid); throw refusal }
                Issue.record("a refused creation succeeded")
            } catch let error as UnleashedError {
                #expect(error.description.contains("A customer needs a contact."))
            }
        }
        #expect(await calls.guids.count == 1)
    }
}
