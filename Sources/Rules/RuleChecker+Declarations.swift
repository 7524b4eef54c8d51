extension RuleChecker {
    /// `properties:` name → {tag, from: [levels], required?}.
    mutating func propertyDecls(_ node: YAMLNode, settings: [SettingDecl]) -> [PropertyDecl] {
        guard let pairs = mapping(node, "properties") else { return [] }
        let settingNames = settings.map(\.name)
        var decls: [PropertyDecl] = []
        for pair in pairs {
            guard let name = checkName(pair.key, "property"), let fields = mapping(pair.value, "property '\(name)'") else { continue }
            checkKeys(fields, allowed: RuleKeys.property.allowed, required: RuleKeys.property.required, in: "property '\(name)'", at: pair.key.location)
            let tag = value("tag", in: fields).flatMap { scalar($0, "tag") }
            let required = value("required", in: fields).flatMap { flag($0, "required") } ?? false
            var levels: [PropertyLevel] = []
            if let fromNode = value("from", in: fields), let items = sequence(fromNode, "from") {
                if items.isEmpty {
                    report(.emptyLevels, "property '\(name)' has no levels to look in", at: fromNode.location,
                           hint: "write e.g. from: [order, customer]")
                }
                for item in items {
                    guard let level = propertyLevel(item, settingNames: settingNames) else { continue }
                    if levels.contains(level) {
                        report(.repeatedLevel, "level \(level) is listed twice for property '\(name)'; the second can never win",
                               at: item.location)
                    }
                    levels.append(level)
                }
            }
            guard let tag else { continue }
            decls.append(PropertyDecl(name: name, tag: tag, levels: levels, required: required, location: pair.key.location))
        }
        return decls
    }

    private mutating func propertyLevel(_ node: YAMLNode, settingNames: [String]) -> PropertyLevel? {
        guard let text = scalar(node, "a property level") else { return nil }
        if node.style?.isQuoted == true { return .literal(text) }
        switch text {
        case "order": return .order
        case "customer": return .customer
        default: break
        }
        if text.hasPrefix("settings.") {
            let name = String(text.dropFirst("settings.".count))
            if settingNames.contains(name) { return .setting(name) }
            report(.unknownSettingName, "unknown setting '\(name)' in a property level", at: node.location,
                   hint: Suggestion.hint(for: name, among: settingNames) ?? "declare it under `settings:`")
            return nil
        }
        let candidates = ["order", "customer"] + settingNames.map { "settings.\($0)" }
        report(.unknownLevel, "unknown property level '\(text)'", at: node.location,
               hint: Suggestion.hint(for: text, among: candidates)
                ?? "a level is order, customer, settings.<name>, or a quoted literal such as \"\(text)\"")
        return nil
    }

    /// `tables:` name → {key: value}.
    mutating func tableDecls(_ node: YAMLNode) -> [TableDecl] {
        guard let pairs = mapping(node, "tables") else { return [] }
        var decls: [TableDecl] = []
        for pair in pairs {
            guard let name = checkName(pair.key, "table"), let rows = mapping(pair.value, "table '\(name)'") else { continue }
            var entries: [String: String] = [:]
            for row in rows {
                guard let key = row.key.scalar, let text = scalar(row.value, "a table value") else { continue }
                entries[key] = text
            }
            decls.append(TableDecl(name: name, entries: entries, location: pair.key.location))
        }
        return decls
    }

    /// Condition names with their nodes (checked for clashes); the expressions come later, once all names are known.
    mutating func conditionNames(_ node: YAMLNode) -> [(name: String, pair: YAMLNode.Pair)] {
        guard let pairs = mapping(node, "conditions") else { return [] }
        var result: [(name: String, pair: YAMLNode.Pair)] = []
        for pair in pairs {
            guard let name = checkName(pair.key, "condition") else { continue }
            if PathRoot(rawValue: name) != nil || ParserState.keywords.contains(name) {
                report(.nameClash, "a condition cannot be named '\(name)': that word already means something in expressions",
                       at: pair.key.location, hint: "rename it, e.g. '\(name)_condition'")
                continue
            }
            result.append((name, pair))
        }
        return result
    }

    /// Parses the conditions and reports cycles (a condition that, through others, uses itself).
    mutating func conditionDecls(_ named: [(name: String, pair: YAMLNode.Pair)], scope: ExpressionScope) -> [ConditionDecl] {
        var decls: [ConditionDecl] = []
        for (name, pair) in named {
            guard let expression = expression(pair.value, scope: scope, what: "condition '\(name)'") else { continue }
            decls.append(ConditionDecl(name: name, expression: expression, location: pair.key.location))
        }
        let uses = Dictionary(decls.map { ($0.name, $0.expression.conditionsUsed) }, uniquingKeysWith: { first, _ in first })
        let onCycles = Self.onCycles(decls.map(\.name), uses: uses)
        for decl in decls where onCycles.contains(decl.name) {
            if let cycle = Self.cycle(from: decl.name, uses: uses, within: onCycles) {
                let shown = cycle.count > 16 ? cycle.prefix(8) + ["…"] + cycle.suffix(2) : cycle[...]
                report(.conditionCycle, "condition '\(decl.name)' depends on itself: \(shown.joined(separator: " → "))",
                       at: decl.location)
            }
        }
        for (name, expanded) in Self.expandedSizes(decls, uses: uses, skipping: onCycles) {
            guard expanded.depth > Self.maxExpandedDepth || expanded.nodes > Self.maxExpandedNodes,
                  let decl = decls.first(where: { $0.name == name }) else { continue }
            let figure = expanded.depth > Self.maxExpandedDepth
                ? "nests \(expanded.depth) levels deep (limit \(Self.maxExpandedDepth))"
                : "has \(expanded.nodes) parts (limit \(Self.maxExpandedNodes))"
            report(.conditionTooLarge,
                   "condition '\(name)', with the conditions it uses written out, \(figure)",
                   at: decl.location,
                   hint: "use fewer levels of conditions built on conditions, or test the order's fields directly")
        }
        return decls
    }

    /// How deep a condition written out in full may nest (the engine evaluates it recursively).
    static let maxExpandedDepth = 256
    /// How many parts a condition written out in full may have (a condition used twice by the
    /// next, and so on, doubles at each level).
    static let maxExpandedNodes = 100_000

    /// Depth and node count of each condition with the conditions it uses written out, in
    /// dependency order (Kahn's algorithm, no recursion); conditions on cycles are left out.
    static func expandedSizes(_ decls: [ConditionDecl], uses: [String: [String]],
                              skipping onCycles: Set<String>) -> [(String, (depth: Int, nodes: Int))] {
        let names = decls.map(\.name).filter { !onCycles.contains($0) }
        let known = Set(names)
        var waiting: [String: Int] = [:]
        var users: [String: [String]] = [:]
        for name in names {
            let used = Set(uses[name] ?? []).filter(known.contains)
            waiting[name] = used.count
            for u in used { users[u, default: []].append(name) }
        }
        let expressions = Dictionary(decls.map { ($0.name, $0.expression) }, uniquingKeysWith: { a, _ in a })
        var done: [String: (depth: Int, nodes: Int)] = [:]
        var ready = names.filter { waiting[$0] == 0 }
        var result: [(String, (depth: Int, nodes: Int))] = []
        while let name = ready.popLast() {
            guard let expression = expressions[name] else { continue }
            let size = expression.expandedSize(done)
            done[name] = size
            result.append((name, size))
            for user in users[name] ?? [] {
                waiting[user, default: 1] -= 1
                if waiting[user] == 0 { ready.append(user) }
            }
        }
        return result
    }

    /// The conditions that lie on a cycle: members of a strongly connected component with more
    /// than one member or a use of itself (Tarjan's algorithm, without recursion), in linear time.
    static func onCycles(_ names: [String], uses: [String: [String]]) -> Set<String> {
        var counter = 0
        var index: [String: Int] = [:]
        var low: [String: Int] = [:]
        var stack: [String] = []
        var onStack: Set<String> = []
        var result: Set<String> = []
        func open(_ name: String) {
            index[name] = counter
            low[name] = counter
            counter += 1
            stack.append(name)
            onStack.insert(name)
        }
        for root in names where index[root] == nil {
            open(root)
            var work: [(name: String, next: Int)] = [(root, 0)]
            while let (name, next) = work.popLast() {
                let successors = uses[name] ?? []
                if next < successors.count {
                    work.append((name, next + 1))
                    let successor = successors[next]
                    guard uses[successor] != nil else { continue }
                    if index[successor] == nil {
                        open(successor)
                        work.append((successor, 0))
                    } else if onStack.contains(successor) {
                        low[name] = min(low[name] ?? 0, index[successor] ?? 0)
                    }
                    continue
                }
                if let parent = work.last?.name { low[parent] = min(low[parent] ?? 0, low[name] ?? 0) }
                guard low[name] == index[name] else { continue }
                var component: [String] = []
                while let member = stack.popLast() {
                    onStack.remove(member)
                    component.append(member)
                    if member == name { break }
                }
                if component.count > 1 || successors.contains(name) { result.formUnion(component) }
            }
        }
        return result
    }

    /// The path back to `start` through conditions in `within`, if there is one.
    private static func cycle(from start: String, uses: [String: [String]], within: Set<String>) -> [String]? {
        var stack = [start]
        var parent: [String: String] = [:]
        var visited: Set<String> = []
        while let name = stack.popLast() {
            for next in uses[name] ?? [] where within.contains(next) {
                if next == start {
                    var path = [name]
                    while let up = path.last.flatMap({ parent[$0] }) { path.append(up) }
                    return path.reversed() + [start]
                }
                if visited.insert(next).inserted {
                    parent[next] = name
                    stack.append(next)
                }
            }
        }
        return nil
    }
}

extension Expression {
    /// Depth and node count with the named conditions in `sizes` written out (saturating, so a
    /// doubling chain cannot overflow); no recursion.
    func expandedSize(_ sizes: [String: (depth: Int, nodes: Int)]) -> (depth: Int, nodes: Int) {
        var deepest = 0
        var nodes = 0
        var stack: [(Expression, Int)] = [(self, 1)]
        while let (e, level) = stack.popLast() {
            if case .condition(let name) = e.kind, let inner = sizes[name] {
                deepest = max(deepest, level - 1 + inner.depth)
                nodes = min(nodes + inner.nodes, Int.max / 4)
                continue
            }
            deepest = max(deepest, level)
            nodes = min(nodes + 1, Int.max / 4)
            switch e.kind {
            case .literal, .path, .condition: break
            case .call(_, let args): stack += args.map { ($0, level + 1) }
            case .unary(_, let a): stack.append((a, level + 1))
            case .binary(_, let a, let b), .coalesce(let a, let b): stack += [(a, level + 1), (b, level + 1)]
            case .conditional(let a, let b, let c): stack += [(a, level + 1), (b, level + 1), (c, level + 1)]
            }
        }
        return (deepest, nodes)
    }

    /// Names of the conditions this expression uses directly.
    var conditionsUsed: [String] {
        var names: [String] = []
        var stack = [self]
        while let e = stack.popLast() {
            switch e.kind {
            case .literal, .path: break
            case .condition(let name): names.append(name)
            case .call(_, let args): stack += args
            case .unary(_, let a): stack.append(a)
            case .binary(_, let a, let b), .coalesce(let a, let b): stack += [a, b]
            case .conditional(let a, let b, let c): stack += [a, b, c]
            }
        }
        return names
    }
}
