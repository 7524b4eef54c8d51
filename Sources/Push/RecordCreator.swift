import Foundation
import Unleashed

/// Runs each creation of a record (a customer or product, by code) once per run, however many
/// orders need it and however they interleave: an order that asks while the creation is under
/// way waits for its result, and one that asks after it finished gets the GUID it made, never a
/// second creation. (An order checks the reference index before it asks, but another order can
/// finish the creation between that check and the ask; forgetting a finished creation then
/// created the record twice, which Unleashed refuses as a duplicate code.)
///
/// A creation whose outcome is unknown (a timeout, a dropped connection) is tried again by the
/// next order that needs the record, under the same GUID: `POST /Customers/{guid}` is a
/// create-or-update, so a first attempt that did land is updated, not duplicated. A creation
/// Unleashed refused (a 4xx) is refused for the rest of the run without asking again: every
/// order that needs the record is rejected with Unleashed's reason, and the others go on.
actor RecordCreator {
    private var inFlight: [String: Task<String, any Error>] = [:]
    private var created: [String: String] = [:]
    private var refused: [String: UnleashedError] = [:]
    private var guids: [String: String] = [:]

    /// The GUID of the record with `code` (case-insensitive): created by `create(guid)` unless
    /// it is being or has been created in this run; the refusal when Unleashed refused it.
    func once(_ code: String, _ create: @escaping @Sendable (_ guid: String) async throws -> String) async throws -> String {
        let key = code.lowercased()
        if let guid = created[key] { return guid }
        if let refusal = refused[key] { throw refusal }
        if let task = inFlight[key] { return try await task.value }
        let guid = guids[key] ?? UUID().uuidString.lowercased()
        guids[key] = guid
        let task = Task { try await create(guid) }
        inFlight[key] = task
        do {
            let made = try await task.value
            created[key] = made
            inFlight[key] = nil
            return made
        } catch {
            if let error = error as? UnleashedError, case .refused = error { refused[key] = error }
            inFlight[key] = nil
            throw error
        }
    }
}
