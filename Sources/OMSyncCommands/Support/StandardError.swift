#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one writer for standard error: messages, diagnostics and the progress line of every
/// command go through it. Unbuffered and whole: a message is written at once, all of it
/// (partial writes continue, EINTR retries), so lines from the progress display and from
/// errors never interleave mid-line and nothing waits in a buffer when the process exits.
enum StandardError {
    /// Writes `text` exactly as given.
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(2, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
        }
    }

    /// Writes `text` as one line (adds the newline when it has none).
    static func line(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n")
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Musl)
private let systemWrite = Musl.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
