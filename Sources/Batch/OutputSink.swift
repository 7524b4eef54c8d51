#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `JSONWriter` output to a file descriptor in large chunks (at least 1 MiB at a time,
/// until `flush`). Not thread-safe: one sink per writer thread.
public final class OutputSink {
    /// Where the bytes go.
    public let fd: Int32
    private let ownsDescriptor: Bool
    private var pending: [UInt8] = []
    /// The errno of the first failed write (e.g. EPIPE), nil while all writes succeeded.
    public private(set) var failure: Int32?
    /// Bytes handed to the operating system so far.
    public private(set) var bytesWritten = 0

    /// Flush threshold.
    static let chunk = 1 << 20

    /// A sink on an open descriptor (e.g. 1 for standard output); the descriptor stays open.
    public init(fd: Int32) {
        self.fd = fd
        self.ownsDescriptor = false
    }

    /// A sink that creates or truncates the file at `path`.
    public init(path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw BatchIOError(path: path, errno: errno, action: "cannot create") }
        self.fd = descriptor
        self.ownsDescriptor = true
    }

    deinit {
        flush()
        if ownsDescriptor { close(fd) }
    }

    /// Takes the writer's bytes (the writer is left empty, capacity kept); writes them out once
    /// more than 1 MiB is pending.
    public func write(_ w: inout JSONWriter) {
        if pending.isEmpty {
            swap(&pending, &w.bytes)
        } else {
            pending.append(contentsOf: w.bytes)
            w.bytes.removeAll(keepingCapacity: true)
        }
        if pending.count >= OutputSink.chunk { flush() }
    }

    /// Writes everything pending.
    public func flush() {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, failure == nil {
                let written = systemWrite(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                } else {
                    offset += written
                    bytesWritten += written
                }
            }
        }
        pending.removeAll(keepingCapacity: true)
    }
}

/// A file could not be opened, read or written.
public struct BatchIOError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The operating system's error number.
    public var errno: Int32
    /// What failed, e.g. "cannot open".
    public var action: String

    /// "cannot open x.json: No such file or directory".
    public var description: String {
        "\(action) \(path): \(String(cString: strerror(errno)))"
    }
}

/// write(2), named apart from `OutputSink.write`.
@inline(__always)
func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, pointer, count)
}
