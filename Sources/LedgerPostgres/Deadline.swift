import Synchronization

/// The deadline of a call to the ledger's server passed without an answer.
struct DeadlinePassed: Error {}

/// A call that gives up when its server goes silent. PostgreSQL's own timeouts
/// (`statement_timeout`, `lock_timeout`) answer a slow statement while the server is alive;
/// this is for a server or network that no longer answers at all, where a request may never
/// return: the caller gets `DeadlinePassed` and the request is left to end on its own.
enum Deadline {
    static func run<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let race = DeadlineRace(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled { race.finish(.failure(DeadlinePassed())) }
            }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                timer.cancel()
                race.finish(result)
            }
        }
    }
}

/// Whichever of the call and its timer ends first resumes the caller; the other finds nothing to resume.
final class DeadlineRace<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func finish(_ result: Result<T, any Error>) {
        let waiting = continuation.withLock { current -> CheckedContinuation<T, any Error>? in
            defer { current = nil }
            return current
        }
        waiting?.resume(with: result)
    }
}
