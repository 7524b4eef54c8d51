import Dispatch
import HTTPTypes
import Hummingbird
import NIOCore

/// One value handed from a task to the synchronous fuzz entry.
final class Waiter<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: Value?

    /// Called once by the task.
    func finish(_ value: Value) {
        self.value = value
        done.signal()
    }

    /// Blocks until `finish`, then returns its value.
    func wait() -> Value {
        done.wait()
        guard let value else { preconditionFailure("finish was not called") }
        return value
    }
}

/// The bytes of a response body.
final class Collector: @unchecked Sendable {
    var bytes: [UInt8] = []
}

/// A `ResponseBodyWriter` that keeps what is written.
struct CollectingWriter: ResponseBodyWriter {
    let collector: Collector

    mutating func write(_ buffer: ByteBuffer) async throws {
        collector.bytes.append(contentsOf: buffer.readableBytesView)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
