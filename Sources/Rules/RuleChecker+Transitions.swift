extension RuleChecker {
    /// One row's `when` (nil for `otherwise: true`), after checking that exactly one is given.
    private mutating func rowCondition(_ pairs: [YAMLNode.Pair], _ row: YAMLNode, scope: ExpressionScope,
                                       what: String) -> (when: Expression?, isOtherwise: Bool, ok: Bool) {
        let when = value("when", in: pairs)
        let otherwise = value("otherwise", in: pairs)
        switch (when, otherwise) {
        case (nil, nil), (.some, .some):
            report(.whenOrOtherwise, "\(what) needs exactly one of 'when' and 'otherwise'", at: row.location,
                   hint: "write `when: <condition>`, or `otherwise: true` for the last row")
            return (nil, false, false)
        case (let node?, nil):
            let expression = condition(node, scope: scope, what: "when")
            return (expression, false, expression != nil)
        case (nil, let node?):
            if flag(node, "otherwise") != true {
                // Not an otherwise row, so the rows after it are not reported as unreachable.
                report(.otherwiseNotTrue, "'otherwise' must be true", at: node.location,
                       hint: "write `otherwise: true`, or `when: <condition>` for a row that does not match every order")
                return (nil, false, false)
            }
            return (nil, true, true)
        }
    }

    /// Reports rows that can never match: after `otherwise`, or with the same `when` as an earlier row.
    private mutating func reachability(_ rows: [(when: Expression?, isOtherwise: Bool, location: SourceLocation)], what: String) {
        var otherwiseAt: SourceLocation?
        var seen: [[ExpressionToken.Kind]: SourceLocation] = [:]
        for row in rows {
            if let earlier = otherwiseAt {
                report(.unreachable, "this \(what) row can never match: the `otherwise` row at line \(earlier.line) matches every order first",
                       at: row.location, hint: "move it above the otherwise row, or remove it")
                continue
            }
            if row.isOtherwise { otherwiseAt = row.location; continue }
            guard let when = row.when else { continue }
            let key = Self.tokenKinds(when.text)
            if let earlier = seen[key] {
                report(.repeatedCondition, "this \(what) row can never match: the row at line \(earlier.line) has the same condition",
                       at: when.location, hint: "remove it, or change its condition")
            } else {
                seen[key] = row.location
            }
        }
    }

    /// The tokens of a condition without their offsets: conditions that differ only in spacing have
    /// the same ones, while spaces inside quoted text still count (`"on hold"` is not `"onhold"`).
    static func tokenKinds(_ text: String) -> [ExpressionToken.Kind] {
        guard case .success(let tokens) = ExpressionLexer.tokens(Array(text.unicodeScalars)) else { return [.text(text)] }
        return tokens.map(\.kind)
    }

    /// `transitions:` a list of {when | otherwise, do, message?}.
    mutating func transitions(_ node: YAMLNode, scope: ExpressionScope) -> [TransitionRule] {
        guard let items = sequence(node, "transitions") else { return [] }
        var rules: [TransitionRule] = []
        var rows: [(when: Expression?, isOtherwise: Bool, location: SourceLocation)] = []
        for item in items {
            guard let pairs = mapping(item, "a transition") else { continue }
            checkKeys(pairs, allowed: RuleKeys.transition.allowed, required: RuleKeys.transition.required, in: "a transition", at: item.location)
            let condition = rowCondition(pairs, item, scope: scope, what: "a transition")
            let action = value("do", in: pairs).flatMap { actionName($0) }
            let message = value("message", in: pairs).flatMap { scalar($0, "message") }
            if condition.ok || condition.isOtherwise {
                rows.append((condition.when, condition.isOtherwise, item.location))
            }
            if condition.ok, let action {
                rules.append(TransitionRule(when: condition.when, action: action, message: message, location: item.location))
            }
        }
        reachability(rows, what: "transition")
        if items.isEmpty {
            report(.noOtherwise, "the transitions table is empty: every order becomes invalid", at: node.location,
                   hint: "add rows, ending with `- otherwise: true`")
        } else if !rows.contains(where: \.isOtherwise) {
            report(.noOtherwise, "the transitions have no `otherwise` row: an order that matches no row becomes invalid",
                   at: node.location, hint: "end the list with `- otherwise: true` and the action you want, e.g. `do: skip`")
        }
        return rules
    }

    /// An action name (`do:` of a transition, `action:` of a rule test), or nil after reporting it with a suggestion.
    mutating func actionName(_ node: YAMLNode, _ what: String = "do") -> Action? {
        guard let text = scalar(node, what) else { return nil }
        if let action = Action(rawValue: text) { return action }
        let names = Action.allCases.map(\.rawValue)
        let hint = text == "blocked" ? "did you mean 'block'?" : Suggestion.hint(for: text, among: names)
        report(.unknownAction, "unknown action '\(text)'", at: node.location, hint: hint ?? "actions: \(names.joined(separator: ", "))")
        return nil
    }

    /// `supersede:` a list of {when | otherwise, set: {Field: expression}}; `original` is allowed here.
    mutating func supersede(_ node: YAMLNode, scope: ExpressionScope) -> [SupersedeRule] {
        guard let items = sequence(node, "supersede") else { return [] }
        let scope = scope.allowing(.original)
        var rules: [SupersedeRule] = []
        var rows: [(when: Expression?, isOtherwise: Bool, location: SourceLocation)] = []
        for item in items {
            guard let pairs = mapping(item, "a supersede row") else { continue }
            checkKeys(pairs, allowed: RuleKeys.supersedeRow.allowed, required: RuleKeys.supersedeRow.required, in: "a supersede row", at: item.location)
            let condition = rowCondition(pairs, item, scope: scope, what: "a supersede row")
            let set = value("set", in: pairs).map { fieldMappings($0, .header, scope: scope, what: "set") } ?? []
            if condition.ok || condition.isOtherwise { rows.append((condition.when, condition.isOtherwise, item.location)) }
            if condition.ok {
                rules.append(SupersedeRule(when: condition.when, set: set, location: item.location))
            }
        }
        reachability(rows, what: "supersede")
        if !items.isEmpty, !rows.contains(where: \.isOtherwise) {
            report(.noOtherwise, "the supersede rows have no `otherwise` row: an original that matches no row cannot be taken out of the way",
                   at: node.location, hint: "end the list with `- otherwise: true`")
        }
        return rules
    }
}
