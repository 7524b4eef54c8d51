extension BatchReader {
    /// Reads one member of the top-level object: a records array starts streaming; any other
    /// value is checked (and kept, while the document may still be a single order).
    func nextMember(first: Bool) {
        guard var b = source.skipWhitespace() else {
            fatal("unexpected end of input: the object opened at byte \(documentStart.offset) is not closed")
            return
        }
        if b == UInt8(ascii: "}") {
            source.advance()
            endObject()
            return
        }
        if !first {
            guard b == UInt8(ascii: ",") else {
                fatal("expected ',' or '}' after object member, found \(describeByte(b))")
                return
            }
            source.advance()
            guard let after = source.skipWhitespace() else {
                fatal("unexpected end of input: the object opened at byte \(documentStart.offset) is not closed")
                return
            }
            if after == UInt8(ascii: "}") {
                fatal("trailing comma before '}'")
                return
            }
            b = after
        }
        state = .members(first: false)
        guard let key = readKey(at: b) else { return }
        guard let valueByte = source.skipWhitespace() else {
            fatal("unexpected end of input, expected a value")
            return
        }
        if valueByte == UInt8(ascii: "["), let role = recordsRole(for: BatchReader.unescaped(key)) {
            determined = true
            let open = source.offset
            if role == .orders && shape == .export && !customersPreloaded && !isPrepass && source.positional && customers.isEmpty {
                loadCustomersFirst()
            }
            if isPrepass && role == .orders {
                _ = source.scanValue(into: &scratch, copy: false, limit: 0)
                return
            }
            source.advance()
            state = .elements(role, first: true, open: open)
            return
        }
        checkValue(of: key)
    }

    /// Reads a member's key (`b` is its first byte) and the ':' after it; returns the key's raw
    /// bytes between the quotes, or nil after a fatal problem.
    func readKey(at b: UInt8) -> [UInt8]? {
        guard b == UInt8(ascii: "\"") else {
            fatal("expected a string key in object, found \(describeByte(b))")
            return nil
        }
        let keyStart = here
        guard let scanned = source.scanString(limit: limits.maxStringBytes) else {
            fatal("unterminated string: no closing '\"' before the end of input", at: keyStart)
            return nil
        }
        guard let key = scanned.bytes else {
            fatal("string of \(scanned.length) bytes is over the limit of \(limits.maxStringBytes) (JSONLimits.maxStringBytes)", at: keyStart)
            return nil
        }
        do throws(JSONError) {
            _ = try JSONRecord(parsing: [UInt8(ascii: "\"")] + key + [UInt8(ascii: "\"")], limits: limits)
        } catch {
            fatal(error.message, at: locate(error, from: keyStart))
            return nil
        }
        guard let colon = source.skipWhitespace(), colon == UInt8(ascii: ":") else {
            let found = source.peek().map(describeByte) ?? "end of input"
            fatal("expected ':' after object key, found \(found)")
            return nil
        }
        source.advance()
        return key
    }

    /// Checks the value of a top-level member that is not a records array, and keeps it (as
    /// `"key":value`) while the document may still be a single order.
    func checkValue(of key: [UInt8]) {
        let valueStart = here
        scratch.removeAll(keepingCapacity: true)
        let (end, size) = source.scanValue(into: &scratch, copy: true, limit: limits.maxRecordBytes)
        guard end == .complete else {
            fatal("unexpected end of input inside the value of \"\(String(decoding: key, as: UTF8.self))\"")
            return
        }
        guard size <= limits.maxRecordBytes else {
            fatal("the value of \"\(String(decoding: key, as: UTF8.self))\" is \(size) bytes, over the limit of \(limits.maxRecordBytes) (JSONLimits.maxRecordBytes)", at: valueStart)
            return
        }
        do throws(JSONError) {
            _ = try JSONRecord(parsing: scratch, limits: limits, storage: tapeStorage, origin: valueStart.offset)
        } catch {
            fatal(error.message, at: locate(error, from: valueStart))
            return
        }
        guard !determined else { return }
        pendingObject.append(pendingObject.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
        pendingObject.append(UInt8(ascii: "\""))
        pendingObject.append(contentsOf: key)
        pendingObject.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        pendingObject.append(contentsOf: scratch)
        if pendingObject.count > limits.maxRecordBytes {
            fatal("record 0 is over the limit of \(limits.maxRecordBytes) bytes (JSONLimits.maxRecordBytes)", at: documentStart, record: 0)
        }
    }

    /// A validated key's text as UTF-8 (escapes decoded), so `"d\u0061ta"` is `data`.
    static func unescaped(_ key: [UInt8]) -> [UInt8] {
        guard key.contains(UInt8(ascii: "\\")) else { return key }
        return key.withUnsafeBufferPointer { StringDecoder.unescape($0, from: 0, length: $0.count) }
    }

    /// Which records a top-level array key holds, given the shape so far.
    func recordsRole(for key: [UInt8]) -> ArrayRole? {
        switch key {
        case Array("data".utf8) where !determined || shape == .envelope:
            shape = .envelope
            return .orders
        case Array("orders".utf8) where !determined || shape == .export:
            shape = .export
            return .orders
        case Array("customers".utf8) where !determined || shape == .export:
            shape = .export
            return .customers
        default:
            return nil
        }
    }

    /// The end of the top-level object: a document without a records array is a single order.
    func endObject() {
        state = isPrepass ? .done : .trailer
        guard !determined else { return }
        determined = true
        shape = .single
        if pendingObject.isEmpty { pendingObject.append(UInt8(ascii: "{")) }
        pendingObject.append(UInt8(ascii: "}"))
        do throws(JSONError) {
            let record = try parseRecord(pendingObject, origin: documentStart.offset)
            // `{"data": {…}}` or `{"orders": null}`: a page whose list is not a list, not an order.
            if record.member(record.root, BatchReader.idKey) == nil,
               let (name, value) = [("data", BatchReader.dataKey), ("orders", BatchReader.ordersKey), ("customers", BatchReader.customersKey)]
                   .lazy.compactMap({ key in record.member(record.root, key.1).map { (key.0, $0) } }).first {
                fatal("the top-level object has no \"id\" and its \"\(name)\" holds \(kindName(record.kind(value))), not a list: "
                      + "an API page is {\"data\": [order, …]} and an export {\"orders\": [order, …], \"customers\": [customer, …]}; "
                      + "fix the export (a single order needs its \"id\")", at: documentStart, record: 0)
                pendingObject = []
                return
            }
            orderIndex = 1
            queue.append(.record(BatchRecord(index: 0, order: record, offset: documentStart.offset, line: documentStart.line, column: documentStart.column)))
        } catch {
            fatal(error.message, at: documentStart, record: 0)
        }
        pendingObject = []
    }

    /// Export with orders before customers: a first pass over the rest of the file collects the
    /// customers (orders are skipped by bracket matching, not parsed), then reading goes on here.
    func loadCustomersFirst() {
        let prepass = BatchReader(prepassOf: self)
        while prepass.next() != nil {}
        customers = prepass.customers
        customerCount = prepass.customerCount
        customersPreloaded = true
    }
}
