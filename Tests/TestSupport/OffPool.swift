import Dispatch
import Foundation

/// Waiting in tests without the cooperative pool: a test that watches a child process (polls,
/// sleeps, kills) on a dispatch thread neither holds one of the pool's threads (two on a 2-core
/// machine, shared by every async test) nor waits for one when the pool is busy.
public enum OffPool {
    struct Unchecked<T>: @unchecked Sendable { let value: T }

    /// Runs `body` on a dispatch thread and returns what it returned.
    public static func run<T: Sendable>(_ body: @escaping () throws -> T) async throws -> T {
        let box = Unchecked(value: body)
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try box.value() }) }
        }
    }

    /// Calls `done` every `milliseconds` on a dispatch thread until it returns true or `seconds` pass.
    public static func poll(everyMilliseconds milliseconds: UInt32, for seconds: TimeInterval,
                            until done: @escaping () throws -> Bool) async throws {
        try await run {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, try !done() { usleep(milliseconds * 1_000) }
        }
    }
}
