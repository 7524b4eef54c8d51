extension BatchReader {
    /// Reads the next element of a records array (or its end). Returns an item to deliver, or
    /// nil when the reader should go on (a stored customer, the end of the array, a fatal problem).
    func nextElement(role: ArrayRole, first: Bool, open: Int) -> BatchItem? {
        guard var b = source.skipWhitespace() else {
            fatal("unexpected end of input: the array opened at byte \(open) is not closed")
            return nil
        }
        if b == UInt8(ascii: "]") {
            source.advance()
            state = determinedByObject ? .members(first: false) : .trailer
            return nil
        }
        if !first {
            guard b == UInt8(ascii: ",") else {
                fatal("expected ',' or ']' after array element, found \(describeByte(b))")
                return nil
            }
            source.advance()
            guard let after = source.skipWhitespace() else {
                fatal("unexpected end of input: the array opened at byte \(open) is not closed")
                return nil
            }
            if after == UInt8(ascii: "]") {
                fatal("trailing comma before ']'")
                return nil
            }
            b = after
        }
        state = .elements(role, first: false, open: open)
        let start = here
        let isOrder = role == .orders
        let index = isOrder ? orderIndex : customerIndex
        let name = isOrder ? "record \(index)" : "customer \(index)"
        let record: JSONRecord
        if b == UInt8(ascii: "{"), let parsed = parseInPlace() {
            record = parsed
        } else {
            switch readRecord(name: name, record: isOrder ? index : nil, start: start) {
            case .parsed(let parsed): record = parsed
            case .problem(let item): 
                if isOrder { orderIndex += 1 } else { customerIndex += 1 }
                return item
            case .stopped: return nil
            }
        }
        if isOrder { orderIndex += 1 } else { customerIndex += 1 }
        guard record.kind(record.root) == .object else {
            return problem("\(name) is \(kindName(record.kind(record.root))), not an object; skipped", at: start, record: isOrder ? index : nil)
        }
        if isOrder {
            var batchRecord = BatchRecord(index: index, order: record, customer: joinedCustomer(record), offset: start.offset, line: start.line, column: start.column)
            if shape == .export, batchRecord.customer == nil { batchRecord.unmatchedPurchaserId = purchaserId(record) }
            return .record(batchRecord)
        }
        return storeCustomer(record, name: name, at: start)
    }

    /// The outcome of reading one record the slow way.
    enum SlowRead {
        case parsed(JSONRecord)
        case problem(BatchItem)
        case stopped
    }

    /// Frames the record at the current position across chunk refills (copying it), then parses
    /// the copy: reports truncation (fatal), the record limit, limit errors (skip) and invalid
    /// JSON (fatal).
    func readRecord(name: String, record index: Int?, start: (offset: Int, line: Int, column: Int)) -> SlowRead {
        scratch.removeAll(keepingCapacity: true)
        let (end, size) = source.scanValue(into: &scratch, copy: true, limit: limits.maxRecordBytes)
        guard end == .complete else {
            fatal("unexpected end of input inside \(name), which starts at line \(start.line), column \(start.column)", record: index)
            return .stopped
        }
        guard size <= limits.maxRecordBytes else {
            return .problem(problem("\(name) is \(size) bytes, over the limit of \(limits.maxRecordBytes) (JSONLimits.maxRecordBytes); skipped", at: start, record: index))
        }
        do throws(JSONError) {
            return .parsed(try parseRecord(scratch, origin: start.offset))
        } catch {
            if error.isLimit {
                return .problem(problem("\(error.message) in \(name); skipped", at: locate(error, from: start), record: index))
            }
            fatal("invalid JSON in \(name): \(error.message)", at: locate(error, from: start), record: index)
            return .stopped
        }
    }

    /// The fast path: parses the object at the current position straight from the chunk buffer
    /// (no framing pass) when it ends inside the buffer and is valid; nil otherwise (nothing
    /// consumed), and the slow path then frames, copies and reports.
    func parseInPlace() -> JSONRecord? {
        let available = Swift.min(source.end - source.position, limits.maxRecordBytes)
        let region = UnsafeBufferPointer(start: source.buffer + source.position, count: available)
        var parser = TapeParser(region, limits: limits, storage: tapeStorage)
        guard let length = try? parser.parseValue() else { return nil }
        let bytes = [UInt8](UnsafeBufferPointer(rebasing: region[..<length]))
        source.consume(length)
        return JSONRecord(bytes: bytes, tape: parser.result())
    }

    /// True when the records array sits inside the top-level object (envelope, export).
    var determinedByObject: Bool {
        shape == .envelope || shape == .export
    }

    /// Keeps a customer by its id (unless a first pass already did); a problem if it has none.
    func storeCustomer(_ record: JSONRecord, name: String, at start: (offset: Int, line: Int, column: Int)) -> BatchItem? {
        guard let id = record.member(record.root, BatchReader.idKey).flatMap({ BatchReader.joinKey(record, $0) }) else {
            return problem("\(name) has no string or number \"id\", so no order can join it; skipped", at: start, record: nil)
        }
        if !customersPreloaded {
            customers[id] = record
            customerCount += 1
        }
        return nil
    }

    /// The customer an export order names in `purchaserId`.
    func joinedCustomer(_ order: JSONRecord) -> JSONRecord? {
        guard shape == .export, !customers.isEmpty, let id = purchaserId(order) else { return nil }
        return customers[id]
    }

    /// An order's `purchaserId` as matched against customer ids.
    func purchaserId(_ order: JSONRecord) -> String? {
        guard let reference = order.member(order.root, BatchReader.purchaserIdKey) else { return nil }
        return BatchReader.joinKey(order, reference)
    }

    /// A string's text, or a number's source text: what ids are matched on.
    static func joinKey(_ record: JSONRecord, _ i: JSONIndex) -> String? {
        switch record.kind(i) {
        case .string: return record.string(i)
        case .number: return record.number(i)?.text
        default: return nil
        }
    }

    static let idKey = JSONKey("id")
    static let dataKey = JSONKey("data")
    static let ordersKey = JSONKey("orders")
    static let customersKey = JSONKey("customers")
    static let purchaserIdKey = JSONKey("purchaserId")
}

/// "a number", "an array" … for messages.
func kindName(_ kind: JSONKind) -> String {
    switch kind {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
}

extension JSONError {
    /// True when the error is a `JSONLimits` limit rather than invalid JSON.
    public var isLimit: Bool { message.contains("(JSONLimits.") }
}
