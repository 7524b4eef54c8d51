import Batch
import Rules

/// The shape of a payload object, worked out once from the dotted field paths: nested paths
/// share their parent object, members keep the order in which the rules first name them.
struct PayloadTemplate: Sendable {
    /// One member: a field's value (by field index) or a nested object.
    indirect enum Node: Sendable {
        case leaf(Int)
        case object([Member])
    }

    /// A named member of an object.
    struct Member: Sendable {
        let key: String
        var node: Node
    }

    let members: [Member]

    /// The template for fields with these paths (`["Customer", "CustomerCode"]`); field `i` is `leaf(i)`.
    /// When one path is a prefix of another, the field written first wins.
    init(paths: [[String]]) {
        var root: [Member] = []
        for (i, path) in paths.enumerated() where !path.isEmpty {
            Self.insert(path[...], leaf: i, into: &root)
        }
        members = root
    }

    private static func insert(_ path: ArraySlice<String>, leaf: Int, into members: inout [Member]) {
        guard let key = path.first else { return }
        let rest = path.dropFirst()
        if let at = members.firstIndex(where: { $0.key == key }) {
            guard !rest.isEmpty, case .object(var children) = members[at].node else { return }
            insert(rest, leaf: leaf, into: &children)
            members[at].node = .object(children)
            return
        }
        if rest.isEmpty {
            members.append(Member(key: key, node: .leaf(leaf)))
        } else {
            var children: [Member] = []
            insert(rest, leaf: leaf, into: &children)
            members.append(Member(key: key, node: .object(children)))
        }
    }

    /// The payload members for these field values: nil values are left out, and so are objects
    /// left empty.
    func build(_ values: [Payload?]) -> [PayloadMember] {
        Self.build(members, values)
    }

    private static func build(_ members: [Member], _ values: [Payload?]) -> [PayloadMember] {
        var result: [PayloadMember] = []
        result.reserveCapacity(members.count)
        for member in members {
            switch member.node {
            case .leaf(let i):
                if let value = values[i] { result.append(PayloadMember(key: member.key, value: value)) }
            case .object(let children):
                let built = build(children, values)
                if !built.isEmpty { result.append(PayloadMember(key: member.key, value: .object(built))) }
            }
        }
        return result
    }
}

/// A field mapping compiled: its path, the compiled expression, and the checked source node.
struct CompiledField: Sendable {
    let path: [String]
    let dotted: String
    let expression: CompiledExpression
    let source: Expression
    let location: SourceLocation
}

extension Evaluator {
    /// A value as a payload value; nil for null and `omit` (the field is left out).
    func payload(_ value: Value) -> Payload? {
        switch value {
        case .null, .omit: return nil
        case .bool(let b): return .bool(b)
        case .number(let d): return .decimal(d)
        case .text(let s): return .text(s)
        case .node(let slot, let i):
            guard let record = records.record(slot) else { return nil }
            return .raw(record.rawJSON(i))
        case .json(let j): return j.isNull ? nil : .json(j)
        case .list(let l): return .array(l.map { payload($0) ?? .null })
        }
    }

    /// Evaluates every field for the current order (and line), in rule order.
    mutating func evaluateFields(_ fields: [CompiledField]) -> [Payload?] {
        var values: [Payload?] = []
        values.reserveCapacity(fields.count)
        for f in fields {
            field = f.dotted
            values.append(payload(evaluate(f.expression)))
        }
        field = ""
        return values
    }
}
