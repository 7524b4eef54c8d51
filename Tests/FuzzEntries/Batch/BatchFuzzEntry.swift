@_spi(Testing) import Batch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What one fuzz input does to the batch reader (the `fuzz-batch` harness and the replay test).
///
/// The input is a whole batch file, so every shape (envelope, array, JSON Lines, export, a single
/// order) is reached by its first bytes. Each input is read:
/// - as a regular file read in one window, as omsync's 2 MiB window reads any smaller file;
/// - as a regular file and as a pipe (standard input, spooled for objects) with a chunk of 16 to
///   79 bytes, so records, strings and escapes straddle chunk boundaries: both must deliver
///   exactly the records and problems of the first reading;
/// - with tiny limits (so every limit is hit);
/// - as one JSON document (`JSONValue.parse`), whose value must survive writing and re-reading.
/// Every record is walked through the tape accessors, and its value must equal the re-parse of
/// its exact source bytes. Returns the broken invariants (empty: fine); a crash is a crash.
public enum BatchFuzzEntry {
    /// Tiny limits: depth 6, strings 40 bytes, numbers 12 characters, records 600 bytes.
    public static let tinyLimits = JSONLimits(maxDepth: 6, maxStringBytes: 40, maxNumberLength: 12, maxRecordBytes: 600)

    /// Runs one input; the list of invariants it broke.
    public static func run(_ bytes: [UInt8]) -> [String] {
        var failures: [String] = []
        let small = 16 + bytes.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF } % 64
        // A window larger than the input reads exactly as the reader's 2 MiB one (one fill to the end),
        // without allocating 2 MiB per input; inputs past 1 MiB use the reader's own.
        let whole = bytes.count < 1 << 20 ? bytes.count + 1 : nil
        let reference = read(bytes, limits: .default, pipe: false, chunk: whole, failures: &failures)
        let chunked = read(bytes, limits: .default, pipe: false, chunk: small, failures: &failures)
        if let reference, let chunked, reference != chunked {
            failures.append("a \(small)-byte chunk reads differently:\n" + difference(reference, chunked))
        }
        if bytes.count <= 60_000 {
            let piped = read(bytes, limits: .default, pipe: true, chunk: small, failures: &failures)
            // A pipe cannot be rewound: JSON Lines after more than a window of leading blanks start at
            // the first non-blank byte, not at the start of its line (with the reader's 2 MiB window:
            // 2 MiB of leading blanks). That one difference is expected.
            let leading = bytes.drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }.startIndex
            let unrewindable = leading >= small && reference?.last?.hasPrefix("shape ndjson") == true
            if let reference, let piped, reference != piped, !unrewindable {
                failures.append("a pipe (\(small)-byte chunk) reads differently from the file:\n" + difference(reference, piped))
            }
        }
        _ = read(bytes, limits: tinyLimits, pipe: false, chunk: small, failures: &failures)
        document(bytes, failures: &failures)
        return failures
    }

    /// The first item where two readings part.
    static func difference(_ a: [String], _ b: [String]) -> String {
        let at = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        return "  item \(at) of \(a.count) / \(b.count):\n  expected: \(a.indices.contains(at) ? String(a[at].prefix(300)) : "(none)")\n"
            + "  got:      \(b.indices.contains(at) ? String(b[at].prefix(300)) : "(none)")"
    }

    /// Reads `bytes` through a `BatchReader` (a file or a pipe; `chunk` nil: the reader's own);
    /// a summary line per item, nil when the harness could not make the descriptor.
    static func read(_ bytes: [UInt8], limits: JSONLimits, pipe: Bool, chunk: Int?, failures: inout [String]) -> [String]? {
        guard let fd = pipe ? pipeDescriptor(bytes) : fileDescriptor(bytes) else {
            failures.append("harness: could not make a \(pipe ? "pipe" : "memory file")")
            return nil
        }
        defer { close(fd) }
        let reader: BatchReader
        do {
            if let chunk {
                reader = try BatchReader(descriptor: fd, path: "fuzz.json", limits: limits, chunkSize: chunk)
            } else {
                reader = try BatchReader(descriptor: fd, path: "fuzz.json", limits: limits)
            }
        } catch {
            return ["unopened: \(error.message)"]
        }
        var items: [String] = []
        var sawFatal = false
        while let item = reader.next() {
            if sawFatal { failures.append("an item after a fatal problem: \(item)") }
            switch item {
            case .record(let record):
                if (chunk ?? Int.max) > bytes.count {   // the reference reading: walk every record once
                    check(record.order, failures: &failures)
                    if let customer = record.customer { check(customer, failures: &failures) }
                }
                items.append("record \(record.index) at \(record.offset) \(record.line):\(record.column) dup \(record.duplicateOf ?? -1) "
                    + String(decoding: record.order.rawJSON(record.order.root), as: UTF8.self))
            case .problem(let problem):
                sawFatal = sawFatal || problem.fatal
                if problem.message.isEmpty { failures.append("a problem without a message at \(problem.offset)") }
                if problem.offset < 0 || problem.offset > bytes.count || problem.line < 1 || problem.column < 1 {
                    failures.append("a problem outside the input (\(bytes.count) bytes): \(problem.offset) \(problem.line):\(problem.column) \(problem.message)")
                }
                items.append("problem \(problem.record ?? -1) at \(problem.offset) \(problem.line):\(problem.column) \(problem.fatal) \(problem.message)")
            }
        }
        items.append("shape \(reader.shape) customers \(reader.customerCount)")
        return items
    }

    /// The whole input as one JSON document: its value written compactly and pretty reads back equal.
    static func document(_ bytes: [UInt8], failures: inout [String]) {
        guard let value = try? JSONValue.parse(bytes) else { return }
        for pretty in [false, true] {
            let text = value.serialized(pretty: pretty)
            do {
                let again = try JSONValue.parse(text)
                if again != value { failures.append("written \(pretty ? "pretty " : "")and read again differs: \(text.prefix(200))") }
            } catch {
                failures.append("written \(pretty ? "pretty " : "")is not readable: \(error) in \(text.prefix(200))")
            }
        }
    }
}
