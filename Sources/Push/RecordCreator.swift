import Foundation

/// Runs each creation of a record (a customer or product, by code) once per run, however many
/// orders need it and however they interleave: an order that asks while the creation is under
/// way waits for its result, and one that asks after it finished gets the GUID it made, never a
/// second creation. (An order checks the reference index before it asks, but another order can
/// finish the creation between that check and the ask; forgetting a finished creation then
/// created the record twice, which Unleashed refuses as a duplicate code.)
actor RecordCreator {
    private var inFlight: [String: Task<String, any Error>] = [:]
    private var created: [String: String] = [:]

    /// The GUID of the record with `code` (case-insensitive): created by `create` unless it is
    /// being or has been created in this run. A failed creation is forgotten, so a later order
    /// tries again.
    func once(_ code: String, _ create: @escaping @Sendable () async throws -> String) async throws -> String {
        let key = code.lowercased()
        if let guid = created[key] { return guid }
        if let task = inFlight[key] { return try await task.value }
        let task = Task { try await create() }
        inFlight[key] = task
        do {
            let guid = try await task.value
            created[key] = guid
            inFlight[key] = nil
            return guid
        } catch {
            inFlight[key] = nil
            throw error
        }
    }
}
