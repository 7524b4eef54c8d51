#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension BatchReader {
    /// Opens the input: a regular file (read with pread), or standard input.
    static func openInput(_ path: String) throws(BatchProblem) -> (fd: Int32, positional: Bool, origin: Int) {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioProblem("cannot open \(path)", errno) }
        return try classify(fd, path: path, opened: path != "-")
    }

    /// How to read a descriptor: positional for regular files. A descriptor the reader `opened`
    /// is read from offset 0 and closed when it cannot be read; one handed in (standard input,
    /// `init(descriptor:)`) is read from its current offset and left open.
    static func classify(_ fd: Int32, path: String, opened: Bool) throws(BatchProblem) -> (fd: Int32, positional: Bool, origin: Int) {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            if opened { close(fd) }
            throw ioProblem("cannot read \(path)", code)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if opened { close(fd) }
            throw ioProblem("cannot read \(path)", EISDIR)
        }
        if (info.st_mode & S_IFMT) == S_IFREG {
            let origin = opened ? 0 : Int(lseek(fd, 0, SEEK_CUR))
            return (fd, true, Swift.max(origin, 0))
        }
        return (fd, false, 0)
    }

    static func ioProblem(_ what: String, _ code: Int32) -> BatchProblem {
        BatchProblem(fileLevel: "\(what): \(String(cString: strerror(code)))")
    }

    /// "UTF-16 (little-endian, with a byte-order mark)" when the input starts like UTF-16 or
    /// UTF-32 text (a BOM, or JSON's first ASCII character next to zero bytes); nil otherwise.
    static func wideEncoding(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        if p.count >= 4, p[0] == 0xFF, p[1] == 0xFE, p[2] == 0, p[3] == 0 { return "UTF-32 (little-endian, with a byte-order mark)" }
        if p.count >= 4, p[0] == 0, p[1] == 0, p[2] == 0xFE, p[3] == 0xFF { return "UTF-32 (big-endian, with a byte-order mark)" }
        if p.count >= 2, p[0] == 0xFF, p[1] == 0xFE { return "UTF-16 (little-endian, with a byte-order mark)" }
        if p.count >= 2, p[0] == 0xFE, p[1] == 0xFF { return "UTF-16 (big-endian, with a byte-order mark)" }
        func ascii(_ b: UInt8) -> Bool { b != 0 && b < 0x80 }
        if p.count >= 4, ascii(p[0]), p[1] == 0, p[2] == 0, p[3] == 0 { return "UTF-32 (little-endian, no byte-order mark)" }
        if p.count >= 4, p[0] == 0, p[1] == 0, p[2] == 0, ascii(p[3]) { return "UTF-32 (big-endian, no byte-order mark)" }
        if p.count >= 2, ascii(p[0]), p[1] == 0 { return "UTF-16 (little-endian, no byte-order mark)" }
        if p.count >= 2, p[0] == 0, ascii(p[1]) { return "UTF-16 (big-endian, no byte-order mark)" }
        return nil
    }

    /// Skips a BOM and whitespace, detects the shape and sets the first state.
    func start() throws(BatchProblem) {
        source.fill()
        if let error = source.readError { throw BatchReader.ioProblem("cannot read \(path)", error) }
        if let encoding = BatchReader.wideEncoding(UnsafeBufferPointer(start: source.buffer, count: source.end)) {
            throw BatchProblem(fileLevel: "\(path) is \(encoding), not UTF-8: omsync reads UTF-8 JSON. Convert it first, "
                + "e.g. iconv -f \(encoding.hasPrefix("UTF-32") ? "UTF-32" : "UTF-16") -t UTF-8 '\(path)' > batch-utf8.json")
        }
        if source.end - source.position >= 3, source.buffer[0] == 0xEF, source.buffer[1] == 0xBB, source.buffer[2] == 0xBF {
            source.position += 3
        }
        guard let first = source.skipWhitespace() else {
            // Decision: a file with no JSON at all is a failed or wrong export far more often than
            // a day without orders (which Ordermentum writes as `{"data":[]}` or `[]`).
            throw BatchProblem(fileLevel: "\(path) is empty\(source.offset > 0 ? " (only whitespace)" : ""): there are no orders in it, "
                + "not even an empty list. Check that the export finished and that this is the right file (a batch with no orders is `[]`)")
        }
        if first == UInt8(ascii: "[") {
            shape = .array
            let open = source.offset
            source.advance()
            state = .elements(.orders, first: true, open: open)
            return
        }
        var jsonLines = first != UInt8(ascii: "{")
        if !jsonLines { jsonLines = try looksLikeJSONLines() }
        if jsonLines {
            shape = .ndjson
            rewindForLines()
            state = .lines
            return
        }
        if !source.positional {
            try spoolStandardInput()
            if source.end - source.position >= 3, source.buffer[0] == 0xEF, source.buffer[1] == 0xBB, source.buffer[2] == 0xBF {
                source.position += 3
            }
            _ = source.skipWhitespace()
        }
        documentStart = here
        source.advance()
        state = .members(first: true)
        shape = .single
        determined = false
        // Walk the top-level members until the shape is known (or the object ends).
        while !determined, case .members(let isFirst) = state {
            nextMember(first: isFirst)
        }
    }

    /// With '{' first: true when the first line is a complete value followed by more lines, or
    /// when it is incomplete but the next non-blank line starts with '{' (a broken first line).
    /// A first line longer than the read window is scanned to its end (chunk by chunk, memory
    /// flat; standard input is spooled to a file first), so the shape never depends on how long
    /// the first order is.
    func looksLikeJSONLines() throws(BatchProblem) -> Bool {
        let start = source.position
        let available = UnsafeBufferPointer(start: source.buffer + start, count: source.end - start)
        if let found = memchr(source.buffer + start, 0x0A, available.count) {
            let newline = UnsafeMutableRawPointer(found).assumingMemoryBound(to: UInt8.self) - (source.buffer + start)
            let firstLine = UnsafeBufferPointer(rebasing: available[..<newline])
            var next = newline + 1
            while next < available.count, [0x20, 0x0A, 0x0D, 0x09].contains(available[next]) { next += 1 }
            // Decided by what is in the window only when the next non-blank byte is in it (or the input ends):
            // else the shape would depend on where the window happens to end.
            if next < available.count {
                return BatchReader.isCompleteValue(firstLine) || available[next] == UInt8(ascii: "{")
            }
            if source.atEOF { return false }
        } else if source.atEOF {
            return false
        }
        if !source.positional {
            try spoolStandardInput()
            if source.end - source.position >= 3, source.buffer[0] == 0xEF, source.buffer[1] == 0xBB, source.buffer[2] == 0xBF {
                source.position += 3
            }
            _ = source.skipWhitespace()
        }
        return BatchReader.scanFirstLine(fd: source.fd, from: source.origin + source.offset, chunk: Swift.min(1 << 20, chunkSize))
    }

    /// `looksLikeJSONLines` for a first line of any length, read with pread from `offset`: true
    /// when the first line is one complete value and more follows, or when it is incomplete and
    /// the next non-blank line starts with '{'.
    static func scanFirstLine(fd: Int32, from offset: Int, chunk: Int = 1 << 20) -> Bool {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { buffer.deallocate() }
        // 1. Where the first line ends: memchr, chunk by chunk (a one-line envelope of any size
        //    costs a read of the file, not a byte-by-byte walk). No newline: one value, not JSON Lines.
        var position = offset
        var newline: Int?
        while newline == nil {
            guard let count = read(fd, buffer, chunk, at: position) else { return false }
            if let found = memchr(buffer, 0x0A, count) {
                newline = position + (UnsafeMutableRawPointer(found).assumingMemoryBound(to: UInt8.self) - buffer)
            } else {
                position += count
            }
        }
        guard let newline else { return false }
        // 2. What follows it: only blanks to the end is one value; a '{' starts a second order
        //    (after a complete first line, or after a broken one) either way.
        position = newline + 1
        var next: UInt8?
        while next == nil {
            guard let count = read(fd, buffer, chunk, at: position) else { return false }
            for i in 0..<count where !isBlank(buffer[i]) {
                next = buffer[i]
                break
            }
            position += count
        }
        guard let next else { return false }
        if next == UInt8(ascii: "{") { return true }
        // 3. Anything else: JSON Lines only when the first line is one complete value.
        var depth = 0, inString = false, escaped = false, complete = false
        position = offset
        while position < newline {
            guard let count = read(fd, buffer, Swift.min(chunk, newline - position), at: position) else { return false }
            for i in 0..<count {
                let b = buffer[i]
                if complete {
                    if b != 0x20 && b != 0x0D && b != 0x09 { return false }
                } else if inString {
                    if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                } else if b == 0x22 {
                    inString = true
                } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                    depth += 1
                } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { complete = true }
                }
            }
            position += count
        }
        return complete
    }

    /// Up to `count` bytes at `offset` (retrying EINTR); nil at the end of the file or on an error.
    private static func read(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int, at offset: Int) -> Int? {
        while true {
            let got = pread(fd, buffer, count, off_t(offset))
            if got < 0 && errno == EINTR { continue }
            return got > 0 ? got : nil
        }
    }

    @inline(__always)
    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// True when `p` holds one balanced value (by strings and brackets) and then only whitespace.
    static func isCompleteValue(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        var i = 0
        while i < p.count {
            let b = p[i]
            if inString {
                if b == 0x5C { i += 1 } else if b == 0x22 { inString = false }
            } else if b == 0x22 {
                inString = true
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    i += 1
                    while i < p.count, [0x20, 0x0D, 0x09].contains(p[i]) { i += 1 }
                    return i == p.count
                }
            }
            i += 1
        }
        return false
    }

    /// Copies standard input (a pipe) to an unlinked temporary file and reads that instead, so
    /// an export can be read twice (customers after orders). Memory stays one chunk.
    func spoolStandardInput() throws(BatchProblem) {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((directory + "/omsync-stdin-XXXXXX").utf8CString)
        let temp = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard temp >= 0 else { throw BatchReader.ioProblem("cannot create a temporary file in \(directory) for standard input", errno) }
        template.withUnsafeBufferPointer { buffer in
            if let name = buffer.baseAddress { _ = unlink(name) }
        }
        let input = source
        // Normally the whole input is still in the first window: spool it all. Past a window of
        // leading blanks, spool from the first non-blank byte, keeping its offset and line.
        let skipped = input.base == 0 ? 0 : input.position
        let spoolStart = input.base + skipped
        let (line, lineStart) = input.base == 0 ? (1, 0) : (input.line, input.lineStart)
        input.position = skipped
        repeat {
            var offset = input.position
            while offset < input.end {
                let written = write(temp, input.buffer + offset, input.end - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    let code = errno
                    close(temp)
                    throw BatchReader.ioProblem("cannot spool standard input to \(directory)", code)
                }
                offset += written
            }
            input.position = input.end
        } while input.refill()
        if let error = input.readError {
            close(temp)
            throw BatchReader.ioProblem("cannot read standard input", error)
        }
        if ownsDescriptor { close(fd) }
        fd = temp
        ownsDescriptor = true
        source = ByteSource(fd: temp, positional: true, origin: -spoolStart, start: spoolStart, chunk: chunkSize)
        source.line = line
        source.lineStart = lineStart
        spooled = true
        source.fill()
    }

    /// JSON Lines are read from the start of the input (the first line from its first byte). When
    /// more than a window of leading blanks was passed, a file is opened again at its start; a pipe
    /// cannot go back, so it goes on from the first non-blank byte (its line and column counted).
    func rewindForLines() {
        if source.base == 0 && (!spooled || source.origin == 0) {
            source.position = 0
            source.line = 1
            source.lineStart = 0
        } else if source.positional && !spooled {
            source = ByteSource(fd: fd, positional: true, origin: source.origin, start: 0, chunk: chunkSize)
            source.fill()
        }
    }
}
