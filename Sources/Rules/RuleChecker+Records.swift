extension RuleChecker {
    /// `customer:` / `freight_product:` {when?, fields, required?}: a record created in Unleashed when missing.
    /// `required` items are a field path, or `{field: Path, message: "what it means and what to do"}`.
    mutating func recordMapping(_ node: YAMLNode, _ target: FieldTarget, scope: ExpressionScope, what: String) -> RecordMapping? {
        guard let pairs = mapping(node, what) else { return nil }
        checkKeys(pairs, allowed: RuleKeys.record.allowed, required: RuleKeys.record.required, in: what, at: node.location)
        let when = value("when", in: pairs).flatMap { condition($0, scope: scope, what: "when") }
        let fields = value("fields", in: pairs).map { fieldMappings($0, target, scope: scope, what: "\(what).fields") } ?? []
        var required: [RequiredField] = []
        if let list = value("required", in: pairs), let items = sequence(list, "\(what).required") {
            let mapped = Set(fields.map(\.dottedPath))
            for item in items {
                guard let field = requiredField(item, target, what: what) else { continue }
                checkMapped(field.path, by: mapped, in: what, at: field.location)
                required.append(field)
            }
        }
        return RecordMapping(when: when, fields: fields, required: required, location: node.location)
    }

    /// Reports a `required` field that `<what>.fields` does not map.
    mutating func checkMapped(_ path: String, by mapped: Set<String>, in what: String, at location: SourceLocation) {
        guard !mapped.contains(path) else { return }
        report(.requiredNotMapped, "'\(path)' is required but \(what).fields does not map it", at: location,
               hint: "map it under fields, or remove it from required")
    }

    /// One `required` item: `Path` or `{field: Path, message: text}`.
    private mutating func requiredField(_ item: YAMLNode, _ target: FieldTarget, what: String) -> RequiredField? {
        if item.scalar != nil {
            guard let path = fieldPath(item, target) else { return nil }
            return RequiredField(path: path.joined(separator: "."), message: nil, location: item.location)
        }
        guard let pairs = mapping(item, "an item of \(what).required") else { return nil }
        checkKeys(pairs, allowed: RuleKeys.requiredItem.allowed, required: RuleKeys.requiredItem.required, in: "an item of \(what).required", at: item.location)
        guard let fieldNode = value("field", in: pairs), let path = fieldPath(fieldNode, target) else { return nil }
        let message = value("message", in: pairs).flatMap { scalar($0, "message") }
        return RequiredField(path: path.joined(separator: "."), message: message, location: fieldNode.location)
    }
}
