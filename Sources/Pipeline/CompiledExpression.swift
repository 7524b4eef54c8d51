import Batch
import Rules

/// Where an expression node was written: an index into `Program.sites` (a plain number, so
/// evaluating a node never touches a reference count).
struct ExpressionSite: Sendable {
    let index: Int
}

/// An expression's location and text, for runtime problems.
struct SiteInfo: Sendable {
    let location: SourceLocation
    let text: String

    init(_ expression: Expression) {
        self.location = expression.location
        self.text = expression.text
    }

    /// `rules/omsync.yaml:93:5 (local_date(order.deliveryDate, settings.timezone))`.
    var description: String { "\(location) (\(text))" }
}

/// One step of a compiled path: the key pre-encoded for tape lookups, and as text for JSON values.
enum PathStep: Sendable {
    case key(JSONKey, String)
    case index(Int)

    init(_ component: PathComponent) {
        switch component {
        case .key(let k): self = .key(JSONKey(k), k)
        case .index(let n): self = .index(n)
        }
    }
}

/// The batch roots a path can start from.
enum PathBase: Sendable {
    case order, customer, line, original
}

/// An expression compiled once for running per record: paths are pre-encoded key chains,
/// settings and named conditions are folded in, constant subexpressions are evaluated, and
/// functions are direct calls.
indirect enum CompiledExpression: Sendable {
    case constant(Value)
    case path(PathBase, [PathStep])
    /// A path from `order`, `customer` or a batch `line`, memoised per order/line (steps kept for
    /// lines that are not batch values).
    case slot(Int, PathBase, [PathStep])
    /// `prop.<name>` by the property's index (more steps read inside its value).
    case prop(Int, [PathStep])
    case state(StateFact)
    case call(BuiltinFunction, [CompiledExpression], ExpressionSite)
    /// `lookup` with a table known at compile time.
    case lookup([String: String], CompiledExpression, CompiledExpression?)
    case not(CompiledExpression)
    case negate(CompiledExpression, ExpressionSite)
    case and(CompiledExpression, CompiledExpression)
    case or(CompiledExpression, CompiledExpression)
    /// `x == "text"` / `x != "text"`: compared on the tape without decoding.
    case equalsText(CompiledExpression, String, JSONKey, negated: Bool)
    case binary(BinaryOperator, CompiledExpression, CompiledExpression, ExpressionSite)
    case coalesce(CompiledExpression, CompiledExpression)
    case conditional(CompiledExpression, CompiledExpression, CompiledExpression)

    /// The value when the expression is a constant.
    var constantValue: Value? {
        if case .constant(let v) = self { return v }
        return nil
    }
}

extension Expression {
    /// The names of the properties this expression reads (`prop.X`), in first-use order.
    public var propertyNames: [String] {
        var names: [String] = []
        visit { kind in
            if case .path(.prop, let components) = kind, case .key(let name)? = components.first, !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }

    /// The names of the settings this expression reads (`settings.X`), in first-use order.
    var settingNames: [String] {
        var names: [String] = []
        visit { kind in
            if case .path(.settings, let components) = kind, case .key(let name)? = components.first, !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }

    /// The paths into the batch (`line.*`, `order.*`, `customer.*`) this expression reads, in
    /// first-use order, each once.
    var batchPaths: [(text: String, path: Expression)] {
        var found: [(text: String, path: Expression)] = []
        var stack = [self]
        while let e = stack.popLast() {
            switch e.kind {
            case .path(let root, let components):
                let text = root.rawValue + components.map { component -> String in
                    switch component {
                    case .key(let k): return "." + k
                    case .index(let n): return "[\(n)]"
                    }
                }.joined()
                if [.line, .order, .customer].contains(root), !found.contains(where: { $0.text == text }) { found.append((text, e)) }
            case .literal, .condition: break
            case .call(_, let args): stack += args.reversed()
            case .unary(_, let a): stack.append(a)
            case .binary(_, let a, let b), .coalesce(let a, let b): stack += [b, a]
            case .conditional(let a, let b, let c): stack += [c, b, a]
            }
        }
        return found
    }

    /// Calls `body` on every node, depth first.
    func visit(_ body: (ExpressionKind) -> Void) {
        body(kind)
        switch kind {
        case .literal, .path, .condition: break
        case .call(_, let args): args.forEach { $0.visit(body) }
        case .unary(_, let a): a.visit(body)
        case .binary(_, let a, let b), .coalesce(let a, let b):
            a.visit(body)
            b.visit(body)
        case .conditional(let c, let a, let b):
            c.visit(body)
            a.visit(body)
            b.visit(body)
        }
    }
}
