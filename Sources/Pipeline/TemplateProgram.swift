import Batch
import Rules

/// A payload template flattened into a list of steps with trivial payloads (no reference
/// counting while writing): keys and constants live in one byte blob.
struct TemplateProgram: Sendable {
    enum Op: Sendable {
        /// Write key `key` (a range in the blob) and field value `field` unless it is null.
        case leaf(key: Range<Int>, field: Int)
        /// Write key and the pre-rendered constant bytes.
        case constant(key: Range<Int>, bytes: Range<Int>)
        /// Open a nested object under key.
        case open(key: Range<Int>)
        /// Close the innermost object (rolled back when it stayed empty).
        case close
    }

    let ops: [Op]
    let blob: [UInt8]

    init(_ members: [PayloadTemplate.Member]) {
        var ops: [Op] = []
        var blob: [UInt8] = []
        func add(_ bytes: [UInt8]) -> Range<Int> {
            let start = blob.count
            blob.append(contentsOf: bytes)
            return start..<blob.count
        }
        func flatten(_ members: [PayloadTemplate.Member]) {
            for member in members {
                let key = add(member.encodedKey)
                switch member.node {
                case .leaf(let i): ops.append(.leaf(key: key, field: i))
                case .constant(let bytes): ops.append(.constant(key: key, bytes: add(bytes)))
                case .object(let children):
                    ops.append(.open(key: key))
                    flatten(children)
                    ops.append(.close)
                }
            }
        }
        flatten(members)
        self.ops = ops
        self.blob = blob
    }

    func write(_ values: [Value], into buffer: inout JSONWriter, _ records: RecordPair) {
        var marks: [(JSONWriter.Mark, Int)] = []
        blob.withUnsafeBufferPointer { blob in
            for op in ops {
                switch op {
                case .leaf(let key, let field):
                    if values[field].isNull { continue }
                    buffer.key(encoded: UnsafeBufferPointer(rebasing: blob[key]))
                    buffer.value(values[field], records)
                case .constant(let key, let bytes):
                    buffer.key(encoded: UnsafeBufferPointer(rebasing: blob[key]))
                    buffer.raw(UnsafeBufferPointer(rebasing: blob[bytes]))
                case .open(let key):
                    let mark = buffer.mark
                    buffer.key(encoded: UnsafeBufferPointer(rebasing: blob[key]))
                    buffer.beginObject()
                    marks.append((mark, buffer.bytes.count))
                case .close:
                    guard let (mark, opened) = marks.popLast() else { continue }
                    if buffer.bytes.count == opened {
                        buffer.rollback(to: mark)
                    } else {
                        buffer.endObject()
                    }
                }
            }
        }
    }
}
