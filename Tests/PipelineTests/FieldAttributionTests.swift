import Batch
import Foundation
@testable import Pipeline
import Rules
import Testing

/// A problem is attributed to the field being computed when it is raised, whatever was
/// evaluated around it: the evaluator's current field is scoped (`withField`, `withLine`,
/// `evaluateFields`) and restored after.
@Suite struct FieldAttributionTests {
    /// Every section that evaluates an expression has one that fails (text × number) on the order
    /// `{"t":"x"}`, so each problem says where it was raised.
    static let rules = """
        version: 1
        sales_order:
          fields:
            Customer.CustomerCode: "C1"
            Comments: order.t * 1
          lines:
            each: order.lines
            when: line.t * 2 == 1 or true
            fields:
              Product.ProductCode: "A"
              OrderQuantity: 1
              UnitPrice: 2
              Comments: line.t * 3
            tax_rate: (line.t * 4) ?? 0.1
          freight:
            when: order.t * 5 == 1 or true
            fields:
              Product.ProductCode: "FREIGHT"
              OrderQuantity: 1
              UnitPrice: 3
              Comments: order.t * 6
            tax_rate: 0
        customer:
          fields:
            CustomerCode: "C1"
            CustomerName: order.t * 7
        transitions:
          - when: order.t * 8 == 1 or true
            do: create
        """

    @Test func eachProblemNamesTheFieldItWasRaisedIn() throws {
        let pipeline = try Fixtures.pipeline(Self.rules)
        let plan = pipeline.plan(try Fixtures.record(#"{"id":"o1","orderNumber":"OM1","t":"x","lines":[{"t":"x"}]}"#))
        let raised = plan.problems.filter { $0.code == .expression }.map { $0.field ?? "-" }
        #expect(raised == [
            "Comments",                       // a header field
            "lines.when",                     // the filter, before the line has a position
            "SalesOrderLines[0].Comments",    // a line field
            "SalesOrderLines[0].tax_rate",    // the tax rate, inside the line, after its fields
            "freight.when",                   // back outside the item line
            "SalesOrderLines[1].Comments",    // the freight line's own field
            "-",                              // a transition: no field
            "customer.CustomerName",          // a created record's field, named with its record
        ], "\(plan.problems.map { "\($0.field ?? "-"): \($0.message)" })")
        #expect(plan.problems.count == raised.count, "no other problem: \(plan.problems)")
    }

    @Test func nestedScopesRestoreTheOuterField() throws {
        let pipeline = try Fixtures.pipeline(Self.rules)
        let ev = pipeline.program.foldingEvaluator()
        #expect(ev.fieldPath == "")
        ev.withLine(at: 2) {
            ev.withField("outer") {
                #expect(ev.fieldPath == "SalesOrderLines[2].outer")
                ev.withField("inner") {
                    #expect(ev.fieldPath == "SalesOrderLines[2].inner")
                }
                #expect(ev.fieldPath == "SalesOrderLines[2].outer")
                var values: [Value] = []
                ev.evaluateFields(pipeline.fieldTable, into: &values)
                #expect(ev.fieldPath == "SalesOrderLines[2].outer", "a field table leaves the field before it in place")
            }
            #expect(ev.fieldPath == "SalesOrderLines[2]")
        }
        #expect(ev.fieldPath == "")
    }

    @Test func aProblemInsideANestedEvaluationIsTheInnerFields() throws {
        let pipeline = try Fixtures.pipeline(Self.rules)
        let order = try JSONRecord(parsing: Array(#"{"t":"x"}"#.utf8))
        let ev = Evaluator(program: pipeline.program, records: RecordPair(order: order, customer: nil), customerRoot: nil,
                           state: .neverPushed, reference: .empty, index: 0, number: "OM1")
        let failing = try #require(pipeline.fields.first { $0.dotted == "Comments" }).expression
        ev.withField("outer") {
            _ = ev.withField("inner") { ev.evaluate(failing) }
            _ = ev.evaluate(failing)
        }
        _ = ev.evaluate(failing)
        #expect(ev.problems.map(\.field) == ["inner", "outer", nil])
    }
}
