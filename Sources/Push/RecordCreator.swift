import Foundation

/// Runs each creation of a record (a customer or product, by code) once, however many orders
/// of the run need it at the same time: the second order waits for the first one's result
/// instead of creating the record again.
actor RecordCreator {
    private var inFlight: [String: Task<String, any Error>] = [:]

    /// The GUID of the record with `code`, created by `create` unless another task is creating
    /// it already (then its result). A failed creation is forgotten, so a later order tries again.
    func once(_ code: String, _ create: @escaping @Sendable () async throws -> String) async throws -> String {
        let key = code.lowercased()
        if let task = inFlight[key] { return try await task.value }
        let task = Task { try await create() }
        inFlight[key] = task
        do {
            let guid = try await task.value
            inFlight[key] = nil
            return guid
        } catch {
            inFlight[key] = nil
            throw error
        }
    }
}
