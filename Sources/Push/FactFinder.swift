import Batch
import Ledger
import Pipeline
import Rules
import Unleashed

/// Plans one order with the facts of the ledger and of Unleashed: the push stage supplies the
/// facts, the rules' transition table decides.
///
/// - `pushed`: the ledger knows a live Unleashed sales order of the order (`guid`).
/// - `changed`: the hash of the payload differs from the one last pushed. The hash is taken of
///   the payload planned with `changed` false, so rules that read `state.changed` in a field
///   cannot make an order look changed forever.
/// - `changed_in_unleashed`: the ledger recorded a block before (it sticks), or the sales order
///   in Unleashed has another status or `LastModifiedOn` than we recorded after our last write.
///   Unleashed is asked only when the plan would write to the original (replace, supersede):
///   it is fetched, never guessed.
public struct FactFinder: Sendable {
    let pipeline: CompiledPipeline
    let reference: ReferenceData

    /// A fact finder for the compiled rules and the reference data (warehouses) known.
    public init(pipeline: CompiledPipeline, reference: ReferenceData) {
        self.pipeline = pipeline
        self.reference = reference
    }

    /// A planned order with the facts behind it.
    public struct Planned: Sendable {
        public var plan: OrderPlan
        public var state: OrderState
        /// Hex SHA-256 of the payload (planned with `changed` false).
        public var hash: String
        /// The sales order as it stands in Unleashed, when it was fetched.
        var original: SalesOrder?
        /// True when the original was fetched and is gone (404).
        var originalMissing = false
    }

    /// Plans `record` against its ledger row. `fetch` reads a sales order from Unleashed (nil:
    /// do not ask, as a ledger-only preview does).
    func plan(_ record: BatchRecord, row: OrderRecord?, explain: Bool = false,
              fetch: ((String) async throws -> SalesOrder?)?) async throws -> Planned {
        var planned = basePlan(record, row: row, explain: explain)
        let plan = planned.plan
        var facts = planned.state.facts
        guard plan.action == .replace || plan.action == .supersede, let guid = row?.guid, let fetch else { return planned }
        let original = try await fetch(guid)
        planned.original = original
        planned.originalMissing = original == nil
        if Self.changedInUnleashed(original, row: row) {
            facts.insert(.changed_in_unleashed)
        }
        planned.state = OrderState(facts: facts)
        planned.plan = pipeline.plan(record, state: planned.state, reference: reference, explain: explain,
                                     original: original?.json)
        return planned
    }

    /// Plans `record` with the facts the ledger alone knows (`pushed`, `changed`, a block
    /// recorded before): what a ledger-aware preview shows, and the first step of an import.
    public func basePlan(_ record: BatchRecord, row: OrderRecord?, explain: Bool = false) -> Planned {
        var facts: Set<StateFact> = []
        if row?.guid != nil { facts.insert(.pushed) }
        if row?.state == .blocked { facts.insert(.changed_in_unleashed) }
        if row?.state == .superseded { facts.insert(.superseded) }
        var plan = pipeline.plan(record, state: OrderState(facts: facts), reference: reference, explain: explain)
        let hash = PayloadHash.of(plan.payload.bytes)
        if let row, row.guid != nil, row.payloadHash != hash {
            facts.insert(.changed)
            plan = pipeline.plan(record, state: OrderState(facts: facts), reference: reference, explain: explain)
        }
        return Planned(plan: plan, state: OrderState(facts: facts), hash: hash)
    }

    /// Whether the sales order in Unleashed is not as we left it: gone, another status, or
    /// another `LastModifiedOn` than recorded after our last write.
    static func changedInUnleashed(_ order: SalesOrder?, row: OrderRecord?) -> Bool {
        guard let order, let row else { return true }
        if let recorded = row.unleashedStatus, recorded.caseInsensitiveCompare(order.statusText ?? "") != .orderedSame { return true }
        if let recorded = row.unleashedModifiedOn, recorded != order.lastModifiedOn { return true }
        return false
    }
}
