import Batch

/// Everything a reader yields, for assertions.
struct BatchReading {
    var shape: BatchShape
    var customerCount: Int
    var records: [BatchRecord] = []
    var problems: [BatchProblem] = []

    /// Reads `path` to the end.
    init(path: String, limits: JSONLimits = .default) throws {
        let reader = try BatchReader(path: path, limits: limits)
        self.init(reader)
    }

    /// Reads text written to a temporary file (removed afterwards).
    init(text: String, limits: JSONLimits = .default) throws {
        try self.init(bytes: Array(text.utf8), limits: limits)
    }

    /// Reads bytes written to a temporary file named `…-name` (removed afterwards).
    init(bytes: [UInt8], name: String = "batch.json", limits: JSONLimits = .default) throws {
        let path = try TemporaryFile.write(bytes, name: name)
        defer { TemporaryFile.remove(path) }
        try self.init(path: path, limits: limits)
    }

    /// Reads an open reader to the end.
    init(_ reader: BatchReader) {
        shape = reader.shape
        customerCount = 0
        while let item = reader.next() {
            switch item {
            case .record(let record): records.append(record)
            case .problem(let problem): problems.append(problem)
            }
        }
        shape = reader.shape
        customerCount = reader.customerCount
    }

    /// The orders' "id" strings in order.
    var ids: [String] {
        records.map { $0.order.member($0.order.root, JSONKey("id")).flatMap($0.order.string) ?? "?" }
    }

    /// Each record's joined customer's "name" (or "-").
    var customerNames: [String] {
        records.map { record in
            record.customer.flatMap { c in c.member(c.root, JSONKey("name")).flatMap(c.string) } ?? "-"
        }
    }
}
