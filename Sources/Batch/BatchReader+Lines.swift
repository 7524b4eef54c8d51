#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension BatchReader {
    /// Reads the next non-blank line of a JSON Lines file. A bad line is a problem on its own
    /// (record index counted), and the next call goes on with the following line.
    func nextLine() -> BatchItem? {
        while true {
            guard source.peek() != nil else {
                state = .done
                return nil
            }
            let start = here
            scratch.removeAll(keepingCapacity: true)
            let size = readLine()
            if isBlank(scratch) && size <= limits.maxRecordBytes { continue }
            let index = orderIndex
            orderIndex += 1
            guard size <= limits.maxRecordBytes else {
                return problem("line of \(size) bytes is over the limit of \(limits.maxRecordBytes) (JSONLimits.maxRecordBytes); this line was skipped, the other lines go on", at: start, record: index)
            }
            let record: JSONRecord
            do throws(JSONError) {
                record = try parseRecord(scratch, origin: start.offset)
            } catch {
                return problem("\(error.message); this line was skipped, the other lines go on", at: locate(error, from: start), record: index)
            }
            guard record.kind(record.root) == .object else {
                return problem("record \(index) is \(kindName(record.kind(record.root))), not an object; this line was skipped", at: start, record: index)
            }
            if let page = recordsOfPage(record, at: start, firstIndex: index) {
                guard !page.isEmpty else { continue }
                queue.append(contentsOf: page.dropFirst())
                return page[0]
            }
            return .record(BatchRecord(index: index, order: record, offset: start.offset, line: start.line, column: start.column))
        }
    }

    /// A line that is a whole API page or export rather than one order (no `"id"`, and a
    /// `"data"` or `"orders"` list: what a script that appends each page it fetched writes):
    /// its orders, each with its own index and position (and, for an export line, joined to the
    /// line's `customers`), and a problem for each element that is not an object. nil for a line
    /// that is one order. Decision: such a line is read as the page it is, not as an order
    /// without an id, which would lose every order in it.
    func recordsOfPage(_ line: JSONRecord, at start: (offset: Int, line: Int, column: Int), firstIndex: Int) -> [BatchItem]? {
        let root = line.root
        guard line.member(root, BatchReader.idKey) == nil else { return nil }
        let list = [BatchReader.dataKey, BatchReader.ordersKey].lazy.compactMap { line.member(root, $0) }.first { line.kind($0) == .array }
        guard let list else { return nil }
        // The index `firstIndex` was taken for the line; give it back and count the orders.
        orderIndex = firstIndex
        var joined: [String: JSONRecord] = [:]
        var items: [BatchItem] = []
        func place(_ i: JSONIndex) -> (offset: Int, line: Int, column: Int) {
            let offset = line.rawJSON(i).startIndex
            return (start.offset + offset, start.line, start.column + offset)
        }
        func parsed(_ i: JSONIndex, name: String, record: Int?) -> JSONRecord? {
            let at = place(i)
            guard line.kind(i) == .object else {
                items.append(problem("\(name) is \(kindName(line.kind(i))), not an object; skipped", at: at, record: record))
                return nil
            }
            do throws(JSONError) {
                return try parseRecord(Array(line.rawJSON(i)), origin: at.offset)
            } catch {
                items.append(problem("\(error.message) in \(name); skipped", at: locate(error, from: at), record: record))
                return nil
            }
        }
        let isExport = line.member(root, BatchReader.dataKey).map { line.kind($0) != .array } ?? true
        if isExport, let customers = line.member(root, BatchReader.customersKey), line.kind(customers) == .array {
            for element in line.elements(customers) {
                let name = "customer \(customerIndex)"
                customerIndex += 1
                guard let customer = parsed(element, name: name, record: nil) else { continue }
                guard let id = customer.member(customer.root, BatchReader.idKey).flatMap({ BatchReader.joinKey(customer, $0) }) else {
                    items.append(problem("\(name) has no string or number \"id\", so no order can join it; skipped", at: place(element), record: nil))
                    continue
                }
                joined[id] = customer
                customerCount += 1
            }
        }
        for element in line.elements(list) {
            let index = orderIndex
            orderIndex += 1
            guard let order = parsed(element, name: "record \(index)", record: index) else { continue }
            let at = place(element)
            var record = BatchRecord(index: index, order: order, offset: at.offset, line: at.line, column: at.column)
            if isExport {
                let purchaser = purchaserId(order)
                record.customer = purchaser.flatMap { joined[$0] }
                if record.customer == nil { record.unmatchedPurchaserId = purchaser }
            }
            items.append(.record(record))
        }
        return items
    }

    /// Consumes one line (and its '\n'), copying it without the line ending into `scratch`
    /// unless it is over the record limit. Returns the line's length.
    func readLine() -> Int {
        var size = 0
        var copying = true
        while true {
            if source.position == source.end && !source.refill() { break }
            let from = source.position
            let available = source.end - from
            let found = memchr(source.buffer + from, 0x0A, available)
            let stop = found.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt8.self) - source.buffer } ?? source.end
            size += stop - from
            source.position = stop
            if copying {
                if size > limits.maxRecordBytes {
                    copying = false
                    scratch.removeAll()
                } else {
                    source.copy(from: from, into: &scratch)
                }
            }
            if found != nil {
                source.advance()
                break
            }
        }
        if copying, scratch.last == 0x0D { scratch.removeLast() }
        return size
    }

    /// True when the bytes are only JSON whitespace.
    func isBlank(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    }
}
