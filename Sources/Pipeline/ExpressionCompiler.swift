import Batch
import Rules

/// Compiles checked expressions into `CompiledExpression`s: resolves names to indexes, folds
/// settings and named conditions in, and evaluates constant subexpressions once.
struct ExpressionCompiler {
    let propertyIndex: [String: Int]
    let settings: [String: SettingValue]
    let conditions: [String: Expression]
    let tables: [String: [String: String]]
    /// Runs constant subexpressions at compile time.
    let folder: Program
    /// Interns path prefixes for per-order memoisation.
    let interner: PathInterner

    /// Each named condition is compiled once and shared by every use (a condition used twice by
    /// the next would otherwise double at each level). Any depth the checker accepts compiles:
    /// it refuses cycles (E413) and conditions too large written out (E418).
    let compiledConditions = ConditionCache()
    /// References the compiler cannot resolve. The checker refuses every one of them first
    /// (E402, E407, E408, E409, E413), so this stays empty for checked rules; when it does not,
    /// `CompiledPipeline.init` fails with their locations rather than run with a silent null.
    let unresolved = CompileProblems()

    func compile(_ expression: Expression, depth: Int = 0) -> CompiledExpression {
        let site = interner.site(expression)
        switch expression.kind {
        case .literal(let literal):
            return .constant(Value(literal))
        case .path(let root, let components):
            return compilePath(root, components, expression)
        case .condition(let name):
            if let done = compiledConditions.done[name] { return done }
            guard let condition = conditions[name] else {
                return unresolved.add("condition '\(name)' is not declared", expression)
            }
            guard compiledConditions.open.insert(name).inserted else {
                return unresolved.add("condition '\(name)' refers to itself through other conditions", expression)
            }
            let compiled = compile(condition, depth: depth + 1)
            compiledConditions.open.remove(name)
            compiledConditions.done[name] = compiled
            return compiled
        case .call(let function, let arguments):
            let args = arguments.map { compile($0, depth: depth) }
            if function == .lookup, let name = args.first?.constantValue, case .text(let tableName) = name,
               let table = tables[tableName], args.count >= 2 {
                return fold(.lookup(table, args[1], args.count > 2 ? args[2] : nil))
            }
            return fold(.call(function, args, site))
        case .unary(let op, let operand):
            let a = compile(operand, depth: depth)
            return fold(op == .not ? .not(a) : .negate(a, site))
        case .binary(let op, let lhs, let rhs):
            return compileBinary(op, compile(lhs, depth: depth), compile(rhs, depth: depth), site)
        case .coalesce(let lhs, let rhs):
            let a = compile(lhs, depth: depth)
            if let v = a.constantValue {
                return v.isNull ? compile(rhs, depth: depth) : a
            }
            return .coalesce(a, compile(rhs, depth: depth))
        case .conditional(let c, let a, let b):
            let condition = compile(c, depth: depth)
            if let v = condition.constantValue, let truth = constantTruth(v) {
                return truth ? compile(a, depth: depth) : compile(b, depth: depth)
            }
            return .conditional(condition, compile(a, depth: depth), compile(b, depth: depth))
        }
    }

    private func compilePath(_ root: PathRoot, _ components: [PathComponent], _ expression: Expression) -> CompiledExpression {
        let steps = components.map(PathStep.init)
        switch root {
        case .order: return interner.intern(.order, steps).map { .slot($0, .order, steps) } ?? .path(.order, steps)
        case .customer: return interner.intern(.customer, steps).map { .slot($0, .customer, steps) } ?? .path(.customer, steps)
        case .line: return interner.intern(.line, steps).map { .slot($0, .line, steps) } ?? .path(.line, steps)
        case .original: return .path(.original, steps)
        case .prop:
            guard case .key(let name)? = components.first, let index = propertyIndex[name] else {
                return unresolved.add("'\(expression.text)' names no declared property", expression)
            }
            return .prop(index, Array(steps.dropFirst()))
        case .settings:
            guard case .key(let name)? = components.first, let value = settings[name] else {
                return unresolved.add("'\(expression.text)' names no setting", expression)
            }
            guard components.count == 1 else {
                return unresolved.add("'\(expression.text)': a setting is a single value, it has no members", expression)
            }
            return .constant(Value(value))
        case .state:
            guard case .key(let name)? = components.first, let fact = StateFact(rawValue: name) else {
                return unresolved.add("'\(expression.text)' names no state fact", expression)
            }
            return .state(fact)
        }
    }

    private func compileBinary(_ op: BinaryOperator, _ a: CompiledExpression, _ b: CompiledExpression,
                               _ site: ExpressionSite) -> CompiledExpression {
        switch op {
        case .and:
            if let v = a.constantValue, let truth = constantTruth(v) {
                return truth ? fold(.and(.constant(.bool(true)), b)) : .constant(.bool(false))
            }
            return fold(.and(a, b))
        case .or:
            if let v = a.constantValue, let truth = constantTruth(v) {
                return truth ? .constant(.bool(true)) : fold(.or(.constant(.bool(false)), b))
            }
            return fold(.or(a, b))
        case .equal, .notEqual:
            if a.constantValue == nil, case .text(let text)? = b.constantValue {
                return .equalsText(a, text, JSONKey(text), negated: op == .notEqual)
            }
            if b.constantValue == nil, case .text(let text)? = a.constantValue {
                return .equalsText(b, text, JSONKey(text), negated: op == .notEqual)
            }
            return fold(.binary(op, a, b, site))
        default:
            return fold(.binary(op, a, b, site))
        }
    }

    /// Truthiness of a constant (constants never point into a record).
    private func constantTruth(_ value: Value) -> Bool? {
        folder.foldingEvaluator().truthy(value)
    }

    /// Evaluates `expression` now when every operand is a constant and nothing it does depends
    /// on the record, state or reference data; otherwise returns it unchanged.
    private func fold(_ expression: CompiledExpression) -> CompiledExpression {
        guard isFoldable(expression) else { return expression }
        let evaluator = folder.foldingEvaluator()
        let value = evaluator.evaluate(expression)
        return evaluator.problems.isEmpty ? .constant(value) : expression
    }

    private func isFoldable(_ expression: CompiledExpression) -> Bool {
        switch expression {
        case .call(let function, let args, _):
            return function != .warehouse_exists && args.allSatisfy { $0.constantValue != nil }
        case .lookup(_, let key, let fallback):
            return key.constantValue != nil && (fallback.map { $0.constantValue != nil } ?? true)
        case .not(let a), .negate(let a, _):
            return a.constantValue != nil
        case .and(let a, let b), .or(let a, let b), .binary(_, let a, let b, _):
            return a.constantValue != nil && b.constantValue != nil
        default:
            return false
        }
    }
}

/// What the compiler could not resolve, with where it was written.
final class CompileProblems {
    private(set) var messages: [String] = []

    /// Records a problem at `expression`'s location; returns the placeholder compiled in its
    /// place (never run: the pipeline is not built when any problem was recorded).
    func add(_ message: String, _ expression: Expression) -> CompiledExpression {
        messages.append("\(expression.location): \(message)")
        return .constant(.null)
    }
}

/// The named conditions compiled so far, and those being compiled (to catch a cycle).
final class ConditionCache {
    var done: [String: CompiledExpression] = [:]
    var open: Set<String> = []
}
