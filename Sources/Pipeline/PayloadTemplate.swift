import Batch
import Rules
import UnleashedContract

/// The shape of a payload object, worked out once from the dotted field paths: nested paths
/// share their parent object, members keep the order in which the rules first name them, keys
/// are pre-encoded, and constant values are pre-rendered.
struct PayloadTemplate: Sendable {
    /// One member: a field's value (by field index), a pre-rendered constant, or a nested object.
    indirect enum Node: Sendable {
        case leaf(Int)
        case constant([UInt8])
        case object([Member])
    }

    /// A named member of an object.
    struct Member: Sendable {
        let key: String
        /// `"key":`
        let encodedKey: [UInt8]
        var node: Node
    }

    let members: [Member]
    /// The same, flattened for writing.
    let program: TemplateProgram

    /// The template for these fields; field `i` is `leaf(i)` unless its value is a constant
    /// (rendered now; a constant null leaves the member out). When one path is a prefix of
    /// another, the field written first wins.
    init(fields: [CompiledField]) {
        var root: [Member] = []
        for (i, field) in fields.enumerated() where !field.path.isEmpty {
            let node: Node?
            if let constant = field.expression.constantValue {
                if constant.isNull {
                    node = nil
                } else {
                    var buffer = JSONWriter(capacity: 32)
                    buffer.value(constant, nil)
                    node = .constant(buffer.bytes)
                }
            } else {
                node = .leaf(i)
            }
            if let node { Self.insert(field.path[...], node, into: &root) }
        }
        members = root
        program = TemplateProgram(root)
    }

    private static func insert(_ path: ArraySlice<String>, _ node: Node, into members: inout [Member]) {
        guard let key = path.first else { return }
        let rest = path.dropFirst()
        if let at = members.firstIndex(where: { $0.key == key }) {
            guard !rest.isEmpty, case .object(var children) = members[at].node else { return }
            insert(rest, node, into: &children)
            members[at].node = .object(children)
            return
        }
        if rest.isEmpty {
            members.append(Member(key: key, encodedKey: JSONWriter.encodedKey(key), node: node))
        } else {
            var children: [Member] = []
            insert(rest, node, into: &children)
            members.append(Member(key: key, encodedKey: JSONWriter.encodedKey(key), node: .object(children)))
        }
    }

    /// Writes the members for these field values: null values are left out, and so are
    /// objects left empty.
    func write(_ values: [Value], into buffer: inout JSONWriter, _ records: RecordPair) {
        program.write(values, into: &buffer, records)
    }
}

extension Evaluator {
    /// A text value cut to Unleashed's limit for its field, with a warning naming the field, its
    /// length and the limit (Unleashed would refuse the whole record otherwise).
    func fitted(_ value: Value, to limit: Int, _ table: FieldTable, _ i: Int) -> Value {
        if case .node(let slot, let n) = value, let record = records.record(slot), record.kind(n) == .string,
           record.rawJSON(n).count - 2 <= limit {
            return value   // UTF-8 bytes ≥ characters: short enough without decoding
        }
        guard let text = value.textValue(records), UnleashedText.length(text) > limit else { return value }
        problems.append(PlanProblem(
            .fieldTooLong, "\(fieldPath) is \(UnleashedText.length(text)) long as Unleashed counts text (UTF-16 units), and Unleashed accepts at most \(limit): "
                + "it is cut to fit, between characters (rule \(table.locations[i])).",
            field: fieldPath, rule: table.locations[i]))
        return .text(UnleashedText.prefix(text, limit))
    }
}
