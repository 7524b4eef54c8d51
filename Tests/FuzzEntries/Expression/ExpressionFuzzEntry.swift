import Batch
import Pipeline
import Rules

/// What one fuzz input does to the expression parser and evaluator (the `fuzz-expression`
/// harness and the replay test).
///
/// The input is `EXPRESSION` or `EXPRESSION NUL ORDER-JSON`. The expression is parsed and
/// type-checked on its own (every root in scope); then it is written into a small rule set as
/// a header field, a line field and a condition, checked and compiled, and the order (the
/// fuzzed one when it reads as a JSON object, else a fixed one with every kind of value) is
/// planned, with and without explanations, for a new and for a pushed order.
/// Invariants: the payload and the preview record are JSON that reads back; explaining changes
/// no payload; planning twice gives the same plan.
public enum ExpressionFuzzEntry {
    /// The order planned when the input carries none.
    public static let defaultOrder = #"""
        {"id":"o1","orderNumber":"OM1","status":"Placed","total":"12.50","createdAt":"2025-03-10T13:00:00.000Z",
         "deliveryDate":"2025-03-11","comment":"hi","n":3,"f":2.5,"neg":-1,"big":1e30,"t":true,"z":null,
         "list":[1,"a",null,{"k":"v"}],"obj":{"a":{"b":[1,2]}},"supplier":{"timezone":"Australia/Perth"},
         "lineItems":[{"SKU":"S1","quantity":2,"price":"5.00","taxable":true,"product":{"SKU":"P1","properties":{}}},
                      {"SKU":"","quantity":"1.5","price":2.5,"taxable":false}]}
        """#

    /// The customer joined to every order.
    public static let customer = #"{"id":"c1","name":"Cafe","retailerName":"Cafe Pty","properties":{"unleashed_customer_code":"C1"}}"#

    /// The declarations every expression may refer to.
    static let declarations = """
        settings:
          zone: { type: timezone, default: Australia/Sydney }
          rate: { type: decimal, default: 0.1 }
          flag: { type: bool, default: false }
          label: { type: text, default: "Hello" }
          count: { type: integer, default: 3 }
          nothing: { type: text, default: null }
        tables:
          codes: { a: A1, b: B1 }
        properties:
          warehouse:
            tag: unleashed_warehouse
            from: [order, customer, settings.label, "LIT"]
        """

    /// The scope of `declarations`, with every root allowed.
    static let scope = ExpressionScope(allowedRoots: ExpressionScope.baseRoots.union([.line, .original]),
                                       properties: ["warehouse"],
                                       settings: ["zone": .timezone, "rate": .decimal, "flag": .bool, "label": .text, "count": .integer, "nothing": .text],
                                       conditions: ["fuzz"], tables: ["codes"])

    /// The same without `line` and `original`: what a header field may read.
    static let headerScope: ExpressionScope = {
        var header = scope
        header.allowedRoots = ExpressionScope.baseRoots
        return header
    }()

    /// The rules with `expression` as a line field and, unless it reads `line`, a header field and a condition.
    static func rules(_ expression: String, onlyInLines: Bool) -> String {
        let header = onlyInLines ? "omit" : expression
        let condition = onlyInLines ? "false" : expression
        return """
        version: 1
        \(declarations)
        conditions:
          fuzz: >-
            \(condition)
        sales_order:
          fields:
            Comments: >-
              \(header)
          lines:
            each: order.lineItems
            fields:
              Product.ProductCode: nonempty(line.SKU) ?? "X"
              OrderQuantity: 1
              UnitPrice: 1
              Comments: >-
                \(expression)
        transitions:
          - when: fuzz == true
            do: skip
            message: the condition held
          - otherwise: true
            do: create
        """
    }

    /// Runs one input; the list of invariants it broke.
    public static func run(_ bytes: [UInt8]) -> [String] {
        var failures: [String] = []
        let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
        let text = String(decoding: bytes[..<split], as: UTF8.self)
        let orderBytes = split < bytes.endIndex ? Array(bytes[(split + 1)...]) : []
        let location = SourceLocation(file: "fuzz.yaml", line: 1, column: 1)
        let (parsed, diagnostics) = ExpressionParser.parse(text, location: location, scope: scope)
        if parsed == nil && !diagnostics.contains(where: { $0.severity == .error }) {
            failures.append("no expression and no error for \(text.debugDescription.prefix(120))")
        }
        for diagnostic in diagnostics where diagnostic.message.isEmpty { failures.append("a diagnostic without a message: \(diagnostic.code)") }
        guard parsed != nil, !diagnostics.contains(where: { $0.severity == .error }) else { return failures }
        // A folded YAML scalar on one line: line breaks become spaces, leading blanks go.
        let oneLine = String(text.unicodeScalars.map { $0.properties.isWhitespace ? " " : Character($0) })
            .drop(while: { $0 == " " })
        guard !oneLine.isEmpty else { return failures }
        let needsLine = ExpressionParser.parse(text, location: location, scope: headerScope).1.contains { $0.severity == .error }
        let result = RuleLoader.load(files: [(path: "fuzz.yaml", text: rules(String(oneLine), onlyInLines: needsLine))])
        guard let ruleSet = result.ruleSet, let settings = result.settings, !result.hasErrors else { return failures }
        let pipeline: CompiledPipeline
        do {
            pipeline = try CompiledPipeline(ruleSet: ruleSet, settings: settings)
        } catch {
            failures.append("checked rules do not compile: \(error)")
            return failures
        }
        plan(orderBytes, with: pipeline, failures: &failures)
        return failures
    }
}
