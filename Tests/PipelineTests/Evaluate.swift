import Batch
import Foundation
import Pipeline
import Rules
import Testing

/// Runs one expression through a minimal rule set (as the `Comments` field) and returns its
/// value in the payload (nil: left out) and the order's problems.
enum Evaluate {
    static let settings = """
        settings:
          zone: { type: timezone, default: Australia/Sydney }
          rate: { type: decimal, default: 0.1 }
          flag: { type: bool, default: false }
          label: { type: text, default: "Hello" }
          nothing: { type: text, default: null }
        tables:
          codes: { a: A1, b: B1 }
        properties:
          warehouse:
            tag: unleashed_warehouse
            from: [order, customer, settings.label, "LIT"]
        """

    /// The rules text with `expression` as the value of `Comments`.
    static func rules(_ expression: String) -> String {
        """
        version: 1
        \(settings)
        sales_order:
          fields:
            Comments: >-
              \(expression)
        transitions:
          - otherwise: true
            do: create
        """
    }

    /// The value of `expression` for `order` (JSON text), and the problems.
    static func value(_ expression: String, order: String = #"{"id":"o1","orderNumber":"OM1"}"#,
                      customer: String? = nil) throws -> (JSONValue?, [PlanProblem]) {
        let pipeline = try Fixtures.pipeline(rules(expression))
        let plan = pipeline.plan(try Fixtures.record(order, customer: customer))
        return (plan.payload.jsonValue["Comments"], plan.problems)
    }

    /// The value only, as compact JSON text ("null" when left out).
    static func json(_ expression: String, order: String = #"{"id":"o1","orderNumber":"OM1"}"#) throws -> String {
        try value(expression, order: order).0?.serialized() ?? "null"
    }
}
