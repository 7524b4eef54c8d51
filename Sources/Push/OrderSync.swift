import Foundation
import Ledger

/// The sync state of one order, with what each state needs, and every transition of it: the one
/// place where "nothing lost, nothing duplicated" can be checked (docs/import.md).
///
/// Shaped like PostgresNIO's `ExtendedQueryStateMachine`: `next` is pure; `OrderPusher` performs
/// the effects it returns (saving the row first, then the call) and feeds back what happened.
/// The ledger keeps the state as `OrderRecord`'s columns (`state`, `guid`, `pendingGuid`,
/// `pendingHash`, `pendingChanges`); `State.init(_:)` reads them (refusing a combination no
/// omsync writes) and `OrderRecord.apply(_:)` writes them. Nothing else sets those columns.
///
/// The invariants:
/// - A sales order is created only under a GUID the ledger holds (`creating`) before the POST,
///   and a create is sent again only after Unleashed said that GUID is not there.
/// - A live order is changed only with the changes the ledger holds (`superseding`) before the
///   PUT, and the row leaves `superseding` only once Unleashed said whether they landed.
/// - A reserved GUID stays with the order (whatever else happens to it) until a sales order
///   under it is confirmed, so a create that lands late is found, never made twice.
enum OrderSync {
    /// A GUID chosen for this order's create, with the hash of the payload sent (or to send) under it.
    struct Reservation: Sendable, Hashable {
        var guid: String
        var hash: String?
    }

    enum State: Sendable, Hashable {
        /// No ledger row: never seen.
        case new
        /// Nothing to do (cancelled before it was ever pushed).
        case skipped
        /// No live sales order; the last attempt failed (or, for an older omsync's row, a
        /// replace's original was taken away and nothing was sent yet).
        case rejected(reserved: Reservation?)
        /// A create under `reserved.guid` may have been sent; its outcome is not known. `live` is
        /// a sales order of the order still live in Unleashed (a create planned over it).
        case creating(Reservation, live: String?)
        /// A replace's original was taken away; nothing was sent for its new order yet. (Only an
        /// older omsync leaves it: this one reserves the new GUID in the same write, `creating`.)
        case cleared
        /// Live in Unleashed as `guid`.
        case pushed(guid: String, reserved: Reservation?)
        /// `changes` may have been applied to `guid` (the original being taken out of the way);
        /// `thenCreate`: a replace, whose new order is created once they landed.
        case superseding(guid: String, changes: Data, thenCreate: Bool, reserved: Reservation?)
        /// Taken out of the way; no live sales order.
        case superseded(reserved: Reservation?)
        /// Changed in Unleashed by someone: omsync no longer touches it.
        case blocked(guid: String?, reserved: Reservation?)
    }

    /// What happened (a plan's decision, or Unleashed's answer).
    enum Event: Sendable, Hashable {
        /// The plan creates the order (`freshGuid`: the GUID to reserve when none is yet).
        case create(hash: String, freshGuid: String)
        /// A sales order under the reserved GUID exists (the POST's answer, or found on resume).
        case created
        /// Unleashed refused the create: nothing was made under the GUID.
        case createRefused
        /// The plan takes the live order out of the way with `changes` (`thenCreate`: a replace).
        case takeAway(changes: Data, thenCreate: Bool)
        /// The changes are in Unleashed (the PUT's answer, or found on resume); `freshGuid` is
        /// reserved for a replace's new order when none is yet.
        case takenAway(freshGuid: String)
        /// Unleashed refused the take-away because the order may no longer be modified.
        case takeAwayBlocked
        /// The plan blocks the order.
        case block
        /// The order is rejected (invalid, a reference refused, or Unleashed refused a call).
        case reject
        /// The plan skips the order.
        case skip
        /// A run meets the row: what an earlier run left unknown is asked first.
        case resume
        /// Unleashed says the call in doubt did not land.
        case notLanded
        /// A call's answer was lost: the state stays in doubt (the next run asks).
        case unknown
    }

    /// What to do, in order, once the new state is saved.
    enum Effect: Sendable, Hashable {
        /// Keep the payload about to be sent (hash `hash`), in the same write as the row.
        case keepPayload(hash: String)
        /// Drop the order's other payloads, keeping this hash ("" keeps none).
        case prunePayloads(keeping: String)
        /// Drop the payloads of a refused attempt, keeping the live order's.
        case pruneToLive
        /// POST the sales order under `guid`.
        case sendCreate(guid: String)
        /// PUT the changes to `guid`.
        case sendUpdate(guid: String, changes: Data)
        /// GET `guid` to find out whether the call in doubt landed.
        case ask(guid: String)
    }

    /// The new state and the effects of `event` in `state`.
    struct Step: Sendable, Hashable {
        var state: State
        var effects: [Effect] = []
        /// Whether the row is written (false: nothing changed, nothing to save).
        var saves = true
    }

    /// An event the state cannot take: a defect in omsync, named with the order.
    struct IllegalTransition: Error, CustomStringConvertible {
        var state: State
        var event: Event
        var description: String { "internal error: the order's sync state \(state) cannot take \(event); nothing was sent for it" }
    }

    /// The transition function: every change of an order's sync state.
    static func next(_ state: State, _ event: Event) throws(IllegalTransition) -> Step {
        switch (state, event) {
        case (_, .create(let hash, let fresh)):
            switch state {
            case .superseding:
                throw IllegalTransition(state: state, event: event)
            default:
                let guid = state.reserved?.guid ?? fresh
                return Step(state: .creating(Reservation(guid: guid, hash: hash), live: state.live),
                            effects: [.keepPayload(hash: hash), .sendCreate(guid: guid)])
            }
        case (.creating(let reserved, _), .created):
            return Step(state: .pushed(guid: reserved.guid, reserved: nil), effects: [.prunePayloads(keeping: reserved.hash ?? "")])
        case (.creating(_, let live), .createRefused):
            // Nothing was made under the GUID: it is free again, and the refused payload goes.
            return Step(state: live.map { State.pushed(guid: $0, reserved: nil) } ?? State.rejected(reserved: nil), effects: [.pruneToLive])
        case (.creating(let reserved, let live), .notLanded):
            // It never landed: the GUID stays reserved for this order's next create.
            return Step(state: live.map { State.pushed(guid: $0, reserved: reserved) } ?? State.rejected(reserved: reserved))
        case (.creating(let reserved, _), .resume):
            return Step(state: state, effects: [.ask(guid: reserved.guid)], saves: false)
        case (.cleared, .resume):
            return Step(state: .rejected(reserved: nil))
        case (_, .takeAway(let changes, let thenCreate)):
            guard let guid = state.live, state.isSettled else { throw IllegalTransition(state: state, event: event) }
            return Step(state: .superseding(guid: guid, changes: changes, thenCreate: thenCreate, reserved: state.reserved),
                        effects: [.sendUpdate(guid: guid, changes: changes)])
        case (.superseding(_, _, let thenCreate, let reserved), .takenAway(let fresh)):
            // One write: a second one for the final state left a window where a kill made a
            // resumed run read the supersede as a create that never happened.
            guard thenCreate else { return Step(state: .superseded(reserved: reserved)) }
            return Step(state: .creating(reserved ?? Reservation(guid: fresh, hash: nil), live: nil))
        case (.superseding(let guid, _, _, let reserved), .takeAwayBlocked):
            return Step(state: .blocked(guid: guid, reserved: reserved))
        case (.superseding(let guid, _, _, let reserved), .notLanded):
            return Step(state: .pushed(guid: guid, reserved: reserved))
        case (.superseding(let guid, _, _, _), .resume):
            return Step(state: state, effects: [.ask(guid: guid)], saves: false)
        case (.creating, .unknown), (.superseding, .unknown):
            return Step(state: state)
        case (_, .resume):
            return Step(state: state, saves: false)
        // A plan is made only after `resume` settled the row: a `creating` met by the plan is a
        // replace's, whose new order was not sent yet (its original was found taken away).
        case (.superseding, .block), (.superseding, .skip):
            throw IllegalTransition(state: state, event: event)
        case (_, .block):
            return Step(state: .blocked(guid: state.live, reserved: state.reserved))
        case (_, .reject):
            // A live order in Unleashed stays live (the row keeps it); a reserved GUID stays
            // reserved for the next create of this order. The payload of a refused attempt goes,
            // the live order's stays; so does one whose create is still in doubt.
            let reserved = state.reserved
            let after: State
            switch state {
            case .blocked(let guid?, _): after = .blocked(guid: guid, reserved: reserved)
            default: after = state.live.map { State.pushed(guid: $0, reserved: reserved) } ?? State.rejected(reserved: reserved)
            }
            return Step(state: after, effects: reserved == nil ? [.pruneToLive] : [])
        case (.new, .skip):
            return Step(state: .skipped)
        case (_, .skip):
            return Step(state: state)
        default:
            throw IllegalTransition(state: state, event: event)
        }
    }
}

extension OrderSync.State {
    /// The live sales order in Unleashed, if any.
    var live: String? {
        switch self {
        case .creating(_, let live): return live
        case .pushed(let guid, _), .superseding(let guid, _, _, _): return guid
        case .blocked(let guid, _): return guid
        case .new, .skipped, .rejected, .cleared, .superseded: return nil
        }
    }

    /// The GUID reserved for the order's create, if any.
    var reserved: OrderSync.Reservation? {
        switch self {
        case .creating(let reserved, _): return reserved
        case .rejected(let reserved), .superseded(let reserved): return reserved
        case .pushed(_, let reserved), .superseding(_, _, _, let reserved), .blocked(_, let reserved): return reserved
        case .new, .skipped, .cleared: return nil
        }
    }

    /// Whether nothing is in doubt (not `creating`, `superseding` or `cleared`).
    var isSettled: Bool {
        switch self {
        case .creating, .superseding, .cleared: return false
        default: return true
        }
    }

    /// The state a stored row is in (nil: no row). An impossible combination of columns is an
    /// error naming the order and what is inconsistent, never a guess.
    init(_ row: OrderRecord?) throws(OrderSync.InconsistentRow) {
        guard let row else { self = .new; return }
        func fail(_ what: String) -> OrderSync.InconsistentRow { OrderSync.InconsistentRow(sourceID: row.sourceID, what: what) }
        if row.pendingHash != nil, row.pendingGuid == nil { throw fail("a pending payload hash without a pending GUID") }
        if row.pendingChanges != nil, row.state != .superseding { throw fail("pending changes in state \(row.state.rawValue)") }
        let reserved = row.pendingGuid.map { OrderSync.Reservation(guid: $0, hash: row.pendingHash) }
        switch row.state {
        case .skipped:
            guard row.guid == nil, reserved == nil else { throw fail("state skipped with a sales order GUID or a pending GUID") }
            self = .skipped
        case .rejected:
            guard row.guid == nil else { throw fail("state rejected with a live sales order GUID") }
            self = .rejected(reserved: reserved)
        case .creating:
            if let reserved {
                self = .creating(reserved, live: row.guid)
            } else {
                guard row.guid == nil else { throw fail("state creating with a live sales order GUID but no pending GUID") }
                self = .cleared
            }
        case .pushed:
            guard let guid = row.guid else { throw fail("state pushed without a sales order GUID") }
            self = .pushed(guid: guid, reserved: reserved)
        case .superseding:
            guard let guid = row.guid else { throw fail("state superseding without the GUID of the order being taken away") }
            guard let changes = row.pendingChanges else { throw fail("state superseding without the pending changes") }
            self = .superseding(guid: guid, changes: changes, thenCreate: row.lastAction == "replace", reserved: reserved)
        case .superseded:
            guard row.guid == nil else { throw fail("state superseded with a live sales order GUID") }
            self = .superseded(reserved: reserved)
        case .blocked:
            self = .blocked(guid: row.guid, reserved: reserved)
        }
    }
}

extension OrderSync {
    /// A stored row whose columns no omsync writes together.
    struct InconsistentRow: Error, CustomStringConvertible {
        var sourceID: String
        var what: String
        var description: String {
            "the ledger row of order id \(sourceID) is inconsistent (\(what)); nothing was sent for it. "
                + "Check the row (`omsync status`), correct or delete it, then import again"
        }
    }
}

extension OrderRecord {
    /// Writes `state` into the row's state columns (`state`, `guid`, `pendingGuid`,
    /// `pendingHash`, `pendingChanges`): the only writer of them. An order taken out of the way
    /// (`superseding` to no live order) goes into `supersededGuids`.
    mutating func apply(_ state: OrderSync.State) {
        let live = state.live
        if self.state == .superseding, let old = guid, live == nil {
            // Taken out of the way: its GUID goes into the history, with the facts recorded about it.
            supersededGuids.append(old)
            unleashedStatus = nil
            unleashedModifiedOn = nil
            unleashedOrderNumber = nil
        }
        guid = live
        pendingGuid = state.reserved?.guid
        pendingHash = state.reserved?.hash
        pendingChanges = nil
        switch state {
        case .new, .rejected: self.state = .rejected
        case .skipped: self.state = .skipped
        case .creating, .cleared: self.state = .creating
        case .pushed: self.state = .pushed
        case .superseding(_, let changes, _, _):
            self.state = .superseding
            pendingChanges = changes
        case .superseded: self.state = .superseded
        case .blocked: self.state = .blocked
        }
    }
}
