import Foundation
import Ledger
@testable import Push
import Testing

/// The order state machine on its own: what a row's columns mean, and that every state it
/// writes reads back as itself.
@Suite struct OrderSyncTests {
    typealias State = OrderSync.State
    static let reserved = OrderSync.Reservation(guid: "0f0e0d0c-0000-4000-8000-000000000001", hash: "abc")
    static let live = "0f0e0d0c-0000-4000-8000-000000000002"
    static let changes = Data(#"{"Warehouse.WarehouseCode":"OM_DELETE"}"#.utf8)

    static let states: [State] = [
        .skipped, .rejected(reserved: nil), .rejected(reserved: reserved), .creating(reserved, live: nil), .creating(reserved, live: live),
        .cleared, .pushed(guid: live, reserved: nil), .pushed(guid: live, reserved: reserved),
        .superseding(guid: live, changes: changes, thenCreate: true, reserved: nil),
        .superseding(guid: live, changes: changes, thenCreate: false, reserved: reserved),
        .superseded(reserved: nil), .superseded(reserved: reserved), .blocked(guid: nil, reserved: nil), .blocked(guid: live, reserved: reserved),
    ]

    static func row(_ state: State) -> OrderRecord {
        var row = OrderRecord(sourceID: "om-1", state: .rejected, createdAt: Date(), updatedAt: Date())
        if case .superseding(_, _, let thenCreate, _) = state { row.lastAction = thenCreate ? "replace" : "supersede" }
        row.apply(state)
        return row
    }

    @Test(arguments: states) func aStateWrittenReadsBackAsItself(_ state: State) throws {
        #expect(try State(Self.row(state)) == state)
    }

    @Test func noRowIsNew() throws {
        #expect(try State(nil) == .new)
    }

    /// A create is only sent under a GUID the row holds first, and a reserved GUID is used again.
    @Test func aCreateReservesItsGuidBeforeThePostAndReusesAReservedOne() throws {
        let fresh = try OrderSync.next(.new, .create(hash: "h1", freshGuid: "g-new"))
        #expect(fresh.state == .creating(OrderSync.Reservation(guid: "g-new", hash: "h1"), live: nil))
        #expect(fresh.effects == [.keepPayload(hash: "h1"), .sendCreate(guid: "g-new")])
        let again = try OrderSync.next(.rejected(reserved: Self.reserved), .create(hash: "h2", freshGuid: "g-other"))
        #expect(again.effects.last == .sendCreate(guid: Self.reserved.guid))
    }

    /// Nothing in doubt is decided without asking Unleashed, and nothing is planned over it.
    @Test func aStateInDoubtIsAskedAboutFirst() throws {
        #expect(try OrderSync.next(.creating(Self.reserved, live: nil), .resume).effects == [.ask(guid: Self.reserved.guid)])
        let superseding = State.superseding(guid: Self.live, changes: Self.changes, thenCreate: false, reserved: nil)
        #expect(try OrderSync.next(superseding, .resume).effects == [.ask(guid: Self.live)])
        #expect(throws: OrderSync.IllegalTransition.self) { try OrderSync.next(superseding, .skip) }
        #expect(throws: OrderSync.IllegalTransition.self) { try OrderSync.next(superseding, .create(hash: "h", freshGuid: "g")) }
        #expect(throws: OrderSync.IllegalTransition.self) {
            try OrderSync.next(.creating(Self.reserved, live: Self.live), .takeAway(changes: Self.changes, thenCreate: true))
        }
        // A replace's take-away reserves the new order's GUID in the same write.
        let landed = try OrderSync.next(.superseding(guid: Self.live, changes: Self.changes, thenCreate: true, reserved: nil),
                                        .takenAway(freshGuid: "g-next"))
        #expect(landed.state == .creating(OrderSync.Reservation(guid: "g-next", hash: nil), live: nil))
    }

    /// A row with a combination no omsync writes, and what the error says of it.
    static func broken(_ n: Int) -> (what: String, row: OrderRecord) {
        var row = OrderRecord(sourceID: "om-77", state: .rejected, createdAt: Date(), updatedAt: Date())
        switch n {
        case 0: row.state = .pushed; return ("pushed without a sales order GUID", row)
        case 1: row.state = .pushed; row.guid = "g"; row.pendingChanges = Data("{}".utf8); return ("pending changes in state pushed", row)
        case 2: row.pendingHash = "h"; return ("a pending payload hash without a pending GUID", row)
        case 3: row.state = .superseding; row.guid = "g"; return ("superseding without the pending changes", row)
        default: row.guid = "g"; return ("rejected with a live sales order GUID", row)
        }
    }

    /// A stored combination no omsync writes is an error naming the order and what is wrong.
    @Test(arguments: 0..<5) func anImpossibleRowIsAnErrorNamingTheOrder(_ n: Int) {
        let (what, row) = Self.broken(n)
        do {
            _ = try State(row)
            Issue.record("read as a state: \(row)")
        } catch {
            let text = "\(error)"
            #expect(text.contains("order id om-77") && text.contains(what), "\(text)")
        }
    }

    /// Such a row fails its order (saying why) and sends nothing for it; the run goes on.
    @Test func anImpossibleRowFailsItsOrderAndSendsNothing() async throws {
        try await PushFixture.with { fx in
            let id = "8f000000-0000-4000-8000-000000000001"
            try await fx.ledger().saveOrder(OrderRecord(sourceID: id, sourceNumber: "OMI1", state: .pushed, createdAt: Date(), updatedAt: Date()))
            let summary = try await fx.importOrders([OM.order(id: id, number: "OMI1"), OM.order(id: "8f000000-0000-4000-8000-000000000002", number: "OMI2")])
            #expect(summary.counts == [.failed: 1, .created: 1], "\(summary.counts)")
            #expect(try await fx.salesOrders(customerRef: "OMI1").isEmpty)
            let logs = try await fx.ledger().logs(LogFilter(sourceID: id))
            #expect(logs.contains { ($0.message ?? "").contains("is inconsistent (state pushed without a sales order GUID)") }, "\(logs.map(\.message))")
        }
    }
}
