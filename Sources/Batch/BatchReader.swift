#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming reader over a batch file or standard input ("-"): memory does not grow with the file.
///
/// Reads the file in 2 MiB chunks; each record is framed, copied into its own bytes and parsed
/// into a `JSONRecord`, so only one record (plus, for exports, the customers) is in memory at a
/// time. Detects the shape from the first bytes (see docs/batch.md). In JSON Lines a bad line is
/// a problem on its own and reading goes on; in an array, envelope or export a syntax error is a
/// fatal problem (records before it were delivered) and reading stops there.
public final class BatchReader {
    /// The path given ("-" for standard input).
    public let path: String
    /// The detected shape.
    public internal(set) var shape: BatchShape = .ndjson
    /// Customers read (export shape), counted once even when read in a first pass.
    public internal(set) var customerCount = 0

    let limits: JSONLimits
    /// Bytes read at a time (2 MiB; smaller only for the fuzz harness, to reach chunk boundaries in small inputs).
    let chunkSize: Int
    var source: ByteSource
    /// Descriptor of the input (or of the spooled copy of standard input).
    var fd: Int32
    var ownsDescriptor: Bool
    /// True once standard input was copied to a temporary file (`spoolStandardInput`).
    var spooled = false
    var state: ReaderState = .done
    var queue: [BatchItem] = []
    /// Next order index.
    var orderIndex = 0
    /// The index of the first order with each id (by `IDFingerprint`), to mark later orders
    /// with the same id.
    var firstIndexOfId: [UInt64: Int32] = [:]
    /// Next customer index (for messages).
    var customerIndex = 0
    /// Customers by id (export shape).
    var customers: [String: JSONRecord] = [:]
    /// True once customers were loaded by a first pass: the main pass then only checks them.
    var customersPreloaded = false
    /// True for the first-pass reader that only collects customers.
    var isPrepass = false
    /// Top-level object of an undetermined document: the members seen so far, re-serialized,
    /// in case the document turns out to be a single order.
    var pendingObject: [UInt8] = []
    var documentStart = (offset: 0, line: 1, column: 1)
    /// False while the top-level object may still turn out to be a single order.
    var determined = true
    var scratch: [UInt8] = []
    let tapeStorage = TapeStorage()

    /// Opens `path` ("-" = standard input) and detects its shape. Throws when the file cannot be
    /// opened or read (the problem's message says why); problems inside the file come from `next()`.
    public init(path: String, limits: JSONLimits = .default) throws(BatchProblem) {
        self.path = path
        self.limits = limits
        self.chunkSize = ByteSource.defaultChunk
        let opened = try BatchReader.openInput(path)
        self.fd = opened.fd
        self.ownsDescriptor = path != "-"
        self.source = ByteSource(fd: opened.fd, positional: opened.positional, origin: opened.origin)
        try start()
    }

    /// A reader over an already open descriptor (e.g. one end of a pipe); `path` names it in
    /// messages. The descriptor is not closed by the reader.
    public convenience init(descriptor: Int32, path: String, limits: JSONLimits = .default) throws(BatchProblem) {
        try self.init(descriptor: descriptor, path: path, limits: limits, chunkSize: ByteSource.defaultChunk)
    }

    /// The same, reading `chunkSize` bytes at a time (at least 16): for the fuzz harness, which
    /// checks that a small chunk reads exactly as the default one does.
    @_spi(Testing)
    public init(descriptor: Int32, path: String, limits: JSONLimits = .default, chunkSize: Int) throws(BatchProblem) {
        self.path = path
        self.limits = limits
        self.chunkSize = Swift.max(chunkSize, 16)
        let opened = try BatchReader.classify(descriptor, path: path, opened: false)
        self.fd = descriptor
        self.ownsDescriptor = false
        self.source = ByteSource(fd: descriptor, positional: opened.positional, origin: opened.origin, chunk: self.chunkSize)
        try start()
    }

    /// A first-pass reader sharing `parent`'s descriptor, starting at the '[' of the orders array.
    init(prepassOf parent: BatchReader) {
        self.path = parent.path
        self.limits = parent.limits
        self.chunkSize = parent.chunkSize
        self.fd = parent.fd
        self.ownsDescriptor = false
        self.source = ByteSource(fd: parent.fd, positional: true, origin: parent.source.origin, start: parent.source.offset, chunk: parent.chunkSize)
        self.shape = .export
        self.isPrepass = true
        var ignored: [UInt8] = []
        _ = source.scanValue(into: &ignored, copy: false, limit: 0)
        self.state = .members(first: false)
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// The next order or problem; nil at the end.
    public func next() -> BatchItem? {
        guard let item = nextItem() else { return nil }
        guard case .record(var record) = item, let id = record.order.member(record.order.root, BatchReader.idKey)
            .flatMap({ BatchReader.joinKey(record.order, $0) }) else { return item }
        let fingerprint = IDFingerprint.of(id)
        if let first = firstIndexOfId[fingerprint] {
            record.duplicateOf = Int(first)
            return .record(record)
        }
        firstIndexOfId[fingerprint] = Int32(clamping: record.index)
        return item
    }

    private func nextItem() -> BatchItem? {
        while true {
            if !queue.isEmpty { return queue.removeFirst() }
            switch state {
            case .done:
                return nil
            case .lines:
                if let item = nextLine() { return item }
            case .elements(let role, let first, let open):
                if let item = nextElement(role: role, first: first, open: open) { return item }
            case .members(let first):
                nextMember(first: first)
            case .trailer:
                if let b = source.skipWhitespace() {
                    fatal("unexpected \(describeByte(b)) after the end of the JSON document")
                } else {
                    state = .done
                }
            }
        }
    }

    /// The current position of the source.
    var here: (offset: Int, line: Int, column: Int) {
        (source.offset, source.line, source.column)
    }

    /// Queues a fatal problem at the current position and stops reading.
    func fatal(_ message: String, at position: (offset: Int, line: Int, column: Int)? = nil, record: Int? = nil) {
        let at = position ?? here
        let kept = isPrepass ? "" : "; reading stopped here after \(orderIndex) order\(orderIndex == 1 ? "" : "s")"
        queue.append(.problem(BatchProblem(record: record, offset: at.offset, line: at.line, column: at.column, message: message + kept, fatal: true)))
        state = .done
    }

    /// A non-fatal problem.
    func problem(_ message: String, at position: (offset: Int, line: Int, column: Int), record: Int?) -> BatchItem {
        .problem(BatchProblem(record: record, offset: position.offset, line: position.line, column: position.column, message: message, fatal: false))
    }

    /// A record-relative parse error moved to file coordinates.
    func locate(_ error: JSONError, from start: (offset: Int, line: Int, column: Int)) -> (offset: Int, line: Int, column: Int) {
        (start.offset + error.offset, start.line + error.line - 1, error.line == 1 ? start.column + error.column - 1 : error.column)
    }

    /// Parses `bytes` (copied exactly) into a record.
    func parseRecord(_ bytes: [UInt8], origin: Int) throws(JSONError) -> JSONRecord {
        let exact = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            initialized = bytes.withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
        }
        return try JSONRecord(parsing: exact, limits: limits, storage: tapeStorage, origin: origin)
    }
}

/// Where the reader is in the document.
enum ReaderState {
    /// JSON Lines.
    case lines
    /// Inside an array of records; `open` is the byte offset of its '['.
    case elements(ArrayRole, first: Bool, open: Int)
    /// Between members of the top-level object.
    case members(first: Bool)
    /// After the document: only whitespace may follow.
    case trailer
    case done
}

/// What the elements of the array being read are.
enum ArrayRole {
    case orders, customers
}

/// "character 'x'" or "byte 0x00" for messages.
func describeByte(_ b: UInt8) -> String {
    if b > 0x20 && b < 0x7F { return "character '\(Character(Unicode.Scalar(b)))'" }
    let hex = String(b, radix: 16, uppercase: true)
    return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
}

/// `for item in reader { … }` reads the batch to the end (single pass).
extension BatchReader: Sequence, IteratorProtocol {}
