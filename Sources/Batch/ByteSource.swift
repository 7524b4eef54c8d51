#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor in large chunks into one reused buffer, tracking the absolute byte
/// offset and the line of the next unread byte. Regular files use pread(2) (so several sources
/// can share a descriptor); pipes use read(2).
final class ByteSource {
    let fd: Int32
    let positional: Bool
    /// Physical file offset of logical offset 0.
    let origin: Int
    let buffer: UnsafeMutablePointer<UInt8>
    let capacity: Int
    /// Index in `buffer` of the next unread byte.
    var position = 0
    /// Number of valid bytes in `buffer`.
    var end = 0
    /// Logical offset of `buffer[0]`.
    var base = 0
    var atEOF = false
    /// The errno of a failed read.
    var readError: Int32?
    /// 1-based line of the next unread byte, and the logical offset where that line starts.
    var line = 1
    var lineStart = 0

    /// The chunk every reader uses: 2 MiB.
    static let defaultChunk = 2 << 20

    init(fd: Int32, positional: Bool, origin: Int, start: Int = 0, chunk: Int = defaultChunk) {
        self.fd = fd
        self.positional = positional
        self.origin = origin
        self.capacity = chunk
        self.buffer = .allocate(capacity: chunk)
        self.base = start
    }

    deinit {
        buffer.deallocate()
    }

    /// Logical offset of the next unread byte.
    @inline(__always) var offset: Int { base + position }
    /// 1-based column (bytes) of the next unread byte.
    var column: Int { offset - lineStart + 1 }

    /// Reads the next chunk once the buffer is consumed; false at end of input.
    func refill() -> Bool {
        if position < end { return true }
        if atEOF { return false }
        base += end
        position = 0
        end = 0
        while true {
            let count = positional
                ? pread(fd, buffer, capacity, off_t(origin + base))
                : read(fd, buffer, capacity)
            if count < 0 {
                if errno == EINTR { continue }
                readError = errno
                atEOF = true
                return false
            }
            if count == 0 {
                atEOF = true
                return false
            }
            end = count
            return true
        }
    }

    /// Reads until the buffer is full or the input ends, keeping what is there (for detection
    /// at the start of the input).
    func fill() {
        while end < capacity && !atEOF {
            let count = positional
                ? pread(fd, buffer + end, capacity - end, off_t(origin + base + end))
                : read(fd, buffer + end, capacity - end)
            if count < 0 {
                if errno == EINTR { continue }
                readError = errno
                atEOF = true
            } else if count == 0 {
                atEOF = true
            } else {
                end += count
            }
        }
    }

    /// The next byte without consuming it; nil at end of input.
    @inline(__always)
    func peek() -> UInt8? {
        if position == end && !refill() { return nil }
        return buffer[position]
    }

    /// Consumes one byte (which must have been peeked), tracking lines.
    @inline(__always)
    func advance() {
        if buffer[position] == 0x0A {
            line += 1
            lineStart = offset + 1
        }
        position += 1
    }

    /// Consumes `count` buffered bytes, counting the newlines among them.
    func consume(_ count: Int) {
        var from = position
        let stop = position + count
        while from < stop, let found = memchr(buffer + from, 0x0A, stop - from) {
            let index = UnsafeMutableRawPointer(found).assumingMemoryBound(to: UInt8.self) - buffer
            line += 1
            lineStart = base + index + 1
            from = index + 1
        }
        position = stop
    }

    /// Skips JSON whitespace; returns the next byte, nil at end of input.
    func skipWhitespace() -> UInt8? {
        while let b = peek() {
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return b }
            advance()
        }
        return nil
    }

    /// Appends the unread buffer bytes `from..<position` to `out`.
    @inline(__always)
    func copy(from start: Int, into out: inout [UInt8]) {
        if position > start {
            out.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: position - start))
        }
    }
}
