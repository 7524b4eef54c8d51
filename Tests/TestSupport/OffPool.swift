import Dispatch
import Foundation

/// Waiting in tests without the cooperative pool: a test that watches a child process (polls,
/// sleeps, kills) on a thread of its own neither holds one of the pool's threads (two on a 2-core
/// machine, shared by every async test) nor waits for one when the pool is busy.
public enum OffPool {
    struct Unchecked<T>: @unchecked Sendable { let value: T }

    /// Runs `body` on a thread of its own and returns what it returned.
    public static func run<T: Sendable>(_ body: @escaping () throws -> T) async throws -> T {
        let box = Unchecked(value: body)
        return try await withCheckedThrowingContinuation { continuation in
            // A thread of its own: the global dispatch queues are as narrow as the machine (two
            // threads here) and other tests block them too.
            let thread = Thread { continuation.resume(with: Result { try box.value() }) }
            thread.start()
        }
    }

    /// Calls `done` every `milliseconds` on a thread of its own until it returns true or `seconds` pass.
    public static func poll(everyMilliseconds milliseconds: UInt32, for seconds: TimeInterval,
                            until done: @escaping () throws -> Bool) async throws {
        try await run {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, try !done() { usleep(milliseconds * 1_000) }
        }
    }
}
