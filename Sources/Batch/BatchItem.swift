/// The layout of a batch file, detected from its first bytes.
public enum BatchShape: String, Sendable {
    /// `{"meta": …, "links": …, "data": [orders]}`, the Ordermentum list envelope.
    case envelope
    /// `[orders]`.
    case array
    /// JSON Lines: one order object per line, blank lines ignored.
    case ndjson
    /// `{"orders": […], "customers": […]}`: orders join customers by `purchaserId` == `id`.
    case export
    /// One order object.
    case single
}

/// One order read from a batch, with where it starts in the file.
public struct BatchRecord: Sendable {
    /// 0-based position of the order in the batch (rejected records keep their number).
    public var index: Int
    /// The order.
    public var order: JSONRecord
    /// For shape `.export`: the customer joined by `purchaserId` == `customers[].id`.
    public var customer: JSONRecord?
    /// For shape `.export`: the order's `purchaserId` when no customer of the export has that
    /// id (nil when it matched, or the order names none).
    public var unmatchedPurchaserId: String?
    /// The index of an earlier order of this batch with the same `id` (nil for the first).
    public var duplicateOf: Int?
    /// Byte offset of the record's first byte.
    public var offset: Int
    /// 1-based line of the record's first byte.
    public var line: Int
    /// 1-based column (bytes) of the record's first byte.
    public var column: Int

    /// A record with its position.
    public init(index: Int, order: JSONRecord, customer: JSONRecord? = nil, offset: Int, line: Int, column: Int) {
        self.index = index
        self.order = order
        self.customer = customer
        self.offset = offset
        self.line = line
        self.column = column
    }
}

/// A problem found while reading a batch: what, where, and what was kept.
public struct BatchProblem: Sendable, Error, CustomStringConvertible {
    /// The order's 0-based index, nil for problems outside orders (customers, the file).
    public var record: Int?
    /// Byte offset where the problem is.
    public var offset: Int
    /// 1-based line.
    public var line: Int
    /// 1-based column (bytes).
    public var column: Int
    /// What, where, and what was kept / what to do.
    public var message: String
    /// True when reading stopped here (a syntax error in an array, envelope or export).
    public var fatal: Bool
    /// False for a problem with the file as a whole (cannot open it, wrong encoding): it has no
    /// line or column, and its description says none.
    public var hasPosition = true

    /// A problem at an explicit position.
    public init(record: Int?, offset: Int, line: Int, column: Int, message: String, fatal: Bool) {
        self.record = record
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
        self.fatal = fatal
    }

    /// A fatal problem with the file as a whole (no position).
    public init(fileLevel message: String) {
        self.init(record: nil, offset: 0, line: 1, column: 1, message: message, fatal: true)
        hasPosition = false
    }

    /// "line 3, column 1 (byte 812), record 2: message"; just the message for a file-level problem.
    public var description: String {
        guard hasPosition else { return message }
        let what = record.map { ", record \($0)" } ?? ""
        return "line \(line), column \(column) (byte \(offset))\(what): \(message)"
    }
}

/// What `BatchReader.next()` yields: an order, or a problem.
public enum BatchItem: Sendable {
    /// An order (with its joined customer for an export).
    case record(BatchRecord)
    /// A problem; when `fatal`, it is the last item.
    case problem(BatchProblem)
}
