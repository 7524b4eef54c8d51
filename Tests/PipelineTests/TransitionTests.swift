import Batch
import Foundation
import Pipeline
import Rules
import Testing

/// The shipped transition table over the order's state, and the supersede recipe.
@Suite struct TransitionTests {
    static let order = Orders.order(lines: [Orders.line("A", price: "10.0000")])
    static let cancelled = Orders.order(lines: [Orders.line("A", price: "10.0000")], extra: #""cancelledAt":"2019-04-09T01:00:00.000Z""#)

    @Test(arguments: [
        ([StateFact](), Action.create),
        ([.pushed, .changed], .replace),
        ([.pushed], .skip),
        ([.pushed, .changed, .changed_in_unleashed], .block),
    ])
    func actionFollowsTheState(_ facts: [StateFact], _ expected: Action) throws {
        let plan = try Orders.plan(Self.order, state: OrderState(facts: Set(facts)))
        #expect(plan.action == expected)
        #expect(plan.transition?.file.hasSuffix("rules/omsync.yaml") == true)
    }

    @Test func blockCarriesTheUnleashedMessage() throws {
        let plan = try Orders.plan(Self.order, state: OrderState(facts: [.pushed, .changed_in_unleashed]))
        #expect(plan.action == .block)
        #expect(plan.message == "Existing Order not in valid Status for Modification")
    }

    @Test(arguments: [#""status":"Cancelled""#, #""cancelledAt":"2019-04-09T01:00:00.000Z""#, #""deletedAt":"2019-04-09T01:00:00.000Z""#])
    func cancelledOrDeletedOrdersAreSuperseded(_ extra: String) throws {
        let json = Orders.order(lines: [Orders.line("A", price: "10.0000")], extra: extra)
            .replacingOccurrences(of: #""status":"Placed","#, with: extra.hasPrefix(#""status""#) ? "" : #""status":"Placed","#)
        #expect(try Orders.plan(json, state: OrderState(facts: [.pushed])).action == .supersede)
        // Cancelled before it was ever pushed: nothing to remove, nothing to create.
        let never = try Orders.plan(json)
        #expect(never.action == .skip)
        #expect(never.message?.contains("before it was ever pushed") == true)
    }

    @Test func aNewOrderWithoutItemLinesIsInvalid() throws {
        let plan = try Orders.plan(Orders.order(number: "OM3", lines: [], extra: #""totalFreight":5"#))
        #expect(plan.action == .invalid)
        let problem = try #require(plan.problems.first { $0.code == .noLines })
        #expect(problem.severity == .error)
        #expect(problem.field == "SalesOrderLines")
        #expect(problem.message.hasPrefix("the order has no item lines (order.lineItems"), "\(problem.message)")
        #expect(plan.message == problem.rendered(for: "order OM3 (index 0)"), "a freight line alone does not make an order")
        #expect(problem.rule?.line == 125, "located at the lines mapping: \(String(describing: problem.rule))")
    }

    @Test func anOrderWithoutLinesCanStillBeSupersededOrSkipped() throws {
        let cancelled = try Orders.plan(Orders.order(extra: #""cancelledAt":"2019-04-09T01:00:00.000Z""#), state: OrderState(facts: [.pushed]))
        #expect(cancelled.action == .supersede)
        let skipped = try Orders.plan(Orders.order(), state: OrderState(facts: [.pushed]))
        #expect(skipped.action == .skip)
        #expect(!(cancelled.problems + skipped.problems).contains { $0.code == .noLines })
    }

    @Test func errorsMakeCreateInvalidButSupersedeStays() throws {
        let invalid = try Orders.plan(Orders.order(properties: "{}"))
        #expect(invalid.action == .invalid)
        let cancelled = Orders.order(properties: "{}", extra: #""cancelledAt":"2019-04-09T01:00:00.000Z""#)
        let superseded = try Orders.plan(cancelled, state: OrderState(facts: [.pushed]))
        #expect(superseded.action == .supersede)
        #expect(superseded.problems.contains { $0.code == .propertyRequired })
    }

    @Test func replaceWithErrorsIsInvalidToo() throws {
        let plan = try Orders.plan(Orders.order(properties: "{}"), state: OrderState(facts: [.pushed, .changed]))
        #expect(plan.action == .invalid)
        #expect(plan.supersede == nil)
    }

    @Test func noMatchingRowIsInvalid() throws {
        let rules = """
            version: 1
            sales_order:
              fields:
                Comments: order.comment
            transitions:
              - when: state.pushed
                do: skip
            """
        let pipeline = try Fixtures.pipeline(rules)
        let plan = pipeline.plan(try Fixtures.record(#"{"id":"o5","orderNumber":"OM5"}"#))
        #expect(plan.action == .invalid)
        #expect(plan.problems.map(\.code) == [.noTransition])
    }

    @Test func supersedeWithoutTheDeleteWarehouseSetsStatusDeleted() throws {
        let plan = try Orders.plan(Self.cancelled, state: OrderState(facts: [.pushed]))
        let outcome = try #require(plan.supersede)
        let changes = Dictionary(uniqueKeysWithValues: outcome.changes.map { ($0.path, $0.value) })
        #expect(changes["OrderStatus"]?.stringValue == "Deleted")
        #expect(changes["CustomerRef"]?.stringValue == "OM1 DELETED")
        #expect(changes["Warehouse.WarehouseCode"] == nil)
    }

    @Test func supersedeWithTheDeleteWarehouseMovesTheOrder() throws {
        let plan = try Orders.plan(Self.cancelled, state: OrderState(facts: [.pushed]), warehouses: ["MAIN", "OM_DELETE"])
        let changes = Dictionary(uniqueKeysWithValues: try #require(plan.supersede).changes.map { ($0.path, $0.value) })
        #expect(changes["Warehouse.WarehouseCode"]?.stringValue == "OM_DELETE")
        #expect(changes["CustomerRef"]?.stringValue == "OM1 DELETED")
        #expect(changes["OrderStatus"] == nil)
    }

    @Test func replaceAlsoSupersedesTheOriginal() throws {
        let plan = try Orders.plan(Self.order, state: OrderState(facts: [.pushed, .changed]))
        #expect(plan.action == .replace)
        let changes = Dictionary(uniqueKeysWithValues: try #require(plan.supersede).changes.map { ($0.path, $0.value) })
        #expect(changes["OrderStatus"]?.stringValue == "Deleted")
        #expect(changes["CustomerRef"]?.stringValue == "OM1 DELETED")
    }

    @Test func supersedeChangesForTheRealOriginal() throws {
        let pipeline = try Fixtures.shipped()
        let original = try JSONValue.parse(#"{"CustomerRef":"PO-7781","OrderStatus":"Parked","Warehouse":{"WarehouseCode":"SYD"}}"#)
        let deleted = pipeline.supersedeChanges(original: original, reference: .empty)
        #expect(deleted.map(\.path) == ["OrderStatus", "CustomerRef"])
        #expect(deleted.last?.value.stringValue == "PO-7781 DELETED")
        let moved = pipeline.supersedeChanges(original: original, reference: ReferenceData(warehouses: ["OM_DELETE"]))
        #expect(moved.map(\.path) == ["Warehouse.WarehouseCode", "CustomerRef"])
    }

    @Test func skipAndBlockHaveNoSupersede() throws {
        #expect(try Orders.plan(Self.order, state: OrderState(facts: [.pushed])).supersede == nil)
        #expect(try Orders.plan(Self.order, state: OrderState(facts: [.pushed, .changed_in_unleashed])).supersede == nil)
    }
}
