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
            return .record(BatchRecord(index: index, order: record, offset: start.offset, line: start.line, column: start.column))
        }
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
