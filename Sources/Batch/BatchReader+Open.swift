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
        BatchProblem(record: nil, offset: 0, line: 1, column: 1, message: "\(what): \(String(cString: strerror(code)))", fatal: true)
    }

    /// Skips a BOM and whitespace, detects the shape and sets the first state.
    func start() throws(BatchProblem) {
        source.fill()
        if let error = source.readError { throw BatchReader.ioProblem("cannot read \(path)", error) }
        if source.end - source.position >= 3, source.buffer[0] == 0xEF, source.buffer[1] == 0xBB, source.buffer[2] == 0xBF {
            source.position += 3
        }
        guard let first = source.skipWhitespace() else {
            shape = .ndjson
            state = .done
            return
        }
        if first == UInt8(ascii: "[") {
            shape = .array
            let open = source.offset
            source.advance()
            state = .elements(.orders, first: true, open: open)
            return
        }
        if first != UInt8(ascii: "{") || looksLikeJSONLines() {
            shape = .ndjson
            source.position = 0
            source.line = 1
            source.lineStart = 0
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
    func looksLikeJSONLines() -> Bool {
        let start = source.position
        let available = UnsafeBufferPointer(start: source.buffer + start, count: source.end - start)
        guard let found = memchr(source.buffer + start, 0x0A, available.count) else { return false }
        let newline = UnsafeMutableRawPointer(found).assumingMemoryBound(to: UInt8.self) - (source.buffer + start)
        let firstLine = UnsafeBufferPointer(rebasing: available[..<newline])
        var next = newline + 1
        while next < available.count, [0x20, 0x0A, 0x0D, 0x09].contains(available[next]) { next += 1 }
        if BatchReader.isCompleteValue(firstLine) {
            return next < available.count || !source.atEOF
        }
        return next < available.count && available[next] == UInt8(ascii: "{")
    }

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
        input.position = 0
        repeat {
            var offset = 0
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
        source = ByteSource(fd: temp, positional: true, origin: 0)
        source.fill()
    }
}
