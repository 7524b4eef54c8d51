@testable import Rules

/// A compact S-expression form of an expression, so tests can state the tree they expect.
enum ExpressionDump {
    static func dump(_ e: Expression) -> String {
        switch e.kind {
        case .literal(let literal):
            switch literal {
            case .null: return "null"
            case .omit: return "omit"
            case .bool(let b): return b ? "true" : "false"
            case .number(let n): return n.description
            case .text(let t): return "\"\(t)\""
            }
        case .path(let root, let components):
            return root.rawValue + components.map { component -> String in
                switch component {
                case .key(let k): return "." + k
                case .index(let i): return "[\(i)]"
                }
            }.joined()
        case .condition(let name):
            return "@" + name
        case .call(let function, let arguments):
            return "\(function.rawValue)(" + arguments.map(dump).joined(separator: ", ") + ")"
        case .unary(let op, let operand):
            return "(\(op.rawValue) \(dump(operand)))"
        case .binary(let op, let left, let right):
            return "(\(op.rawValue) \(dump(left)) \(dump(right)))"
        case .coalesce(let left, let right):
            return "(?? \(dump(left)) \(dump(right)))"
        case .conditional(let c, let a, let b):
            return "(? \(dump(c)) \(dump(a)) \(dump(b)))"
        }
    }
}

/// Shared fixtures for the Rules tests.
enum Fixture {
    static let at = Rules.SourceLocation(file: "test.yaml", line: 3, column: 10)

    static let scope = ExpressionScope(
        properties: ["warehouse", "customer_code"],
        settings: ["timezone": .timezone, "tax_rate": .decimal, "sync_order_number": .bool, "currency": .text, "places": .integer],
        conditions: ["cancelled"],
        tables: ["regions"])

    /// Parses with the fixture scope; the dump of the tree, or nil.
    static func tree(_ text: String, scope: ExpressionScope = Fixture.scope) -> String? {
        ExpressionParser.parse(text, location: at, scope: scope).0.map(ExpressionDump.dump)
    }

    /// The diagnostics of parsing `text`, as "CODE@column".
    static func problems(_ text: String, scope: ExpressionScope = Fixture.scope) -> [String] {
        ExpressionParser.parse(text, location: at, scope: scope).1.map { "\($0.code)@\($0.location?.column ?? 0)" }
    }

    /// The minimal valid rule file with `extra` YAML appended.
    static func rules(_ extra: String) -> String {
        """
        version: 1
        settings:
          timezone: { type: timezone, default: Australia/Sydney }
          status: { type: text, default: Parked, one_of: [Placed, Parked] }
          rate: { type: decimal, default: 0.1 }
        properties:
          warehouse: { tag: unleashed_warehouse, from: [order, customer] }
        sales_order:
          fields:
            Customer.CustomerCode: order.code

        """ + extra
    }

    /// Loads rule text as one file `r.yaml`.
    static func load(_ text: String, settings: [(path: String, text: String)] = [], overrides: [String] = []) -> RuleLoadResult {
        RuleLoader.load(files: [("r.yaml", text)], settingsFiles: settings, overrides: overrides)
    }

    /// "CODE line:col" of each diagnostic.
    static func codes(_ result: RuleLoadResult) -> [String] {
        result.diagnostics.map { d in "\(d.code) \(d.location.map { "\($0.line):\($0.column)" } ?? "-")" }
    }
}
