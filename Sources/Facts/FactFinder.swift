import Batch
import Ledger
import Pipeline
import Rules
import Unleashed

/// The one facts path: plans an order with what is known of it. The import, the preview
/// (`--assume`, ledger-aware, `--against-unleashed`), `import --dry-run` and serve all plan here,
/// so what a preview shows is what the import does. The rules' transition table decides; this
/// type only supplies the facts.
///
/// - `pushed`: the ledger knows a live Unleashed sales order of the order (`guid`).
/// - `changed`: the hash of the payload differs from the one last pushed. The hash is taken of
///   the payload planned with `changed` false, so rules that read `state.changed` in a field
///   cannot make an order look changed forever.
/// - `changed_in_unleashed`: the ledger recorded a block before (it sticks), or the sales order
///   in Unleashed has another status or `LastModifiedOn` than we recorded after our last write.
///   Unleashed is asked only when the plan would write to the original (replace, supersede):
///   the import fetches it; a preview `--against-unleashed` looks it up in the listing it made.
/// - `superseded`: the ledger took the order out of the way before.
/// - `stale`: an older copy. Its version (the rules' `order_version`) is before the version the
///   ledger last pushed, or a newer copy of the order is in the same run (`NewestCopies`). The
///   plan's message then names both versions.
/// - The customer mapping set by hand (`ManualMappings`) is applied before planning, whenever
///   the ledger is a source of facts.
public struct FactFinder: Sendable {
    public let pipeline: CompiledPipeline
    public let reference: ReferenceData
    public let manual: ManualMappings
    /// What the orders' facts come from when nobody is asked while planning (`plan(_:explain:)`).
    public let source: FactSource
    /// The newest copy of each order in the run (nil: every copy is planned as if it were the only one).
    public let copies: NewestCopies?

    /// A fact finder for the compiled rules, the reference data (warehouses) known, and the
    /// customer mappings set by hand (the import's: it asks the ledger and Unleashed per order).
    public init(pipeline: CompiledPipeline, reference: ReferenceData, manual: ManualMappings = .none, copies: NewestCopies? = nil) {
        self.pipeline = pipeline
        self.reference = reference
        self.manual = manual
        self.source = .assumed([])
        self.copies = copies
    }

    /// A fact finder for what `source` knows: its warehouses join `warehouses`, its mappings set by hand apply.
    public init(pipeline: CompiledPipeline, source: FactSource, warehouses: Set<String> = [], copies: NewestCopies? = nil) {
        self.pipeline = pipeline
        self.reference = ReferenceData(warehouses: warehouses.union(source.warehouses))
        self.manual = source.manual
        self.source = source
        self.copies = copies
    }

    /// A planned order with the facts behind it.
    public struct Planned: Sendable {
        /// The order as planned (with the customer mapping set by hand applied).
        public var record: BatchRecord
        public var plan: OrderPlan
        public var state: OrderState
        /// Hex SHA-256 of the payload (planned with `changed` false).
        public var hash: String
        /// The sales order as it stands in Unleashed, when it was asked for.
        public var original: SalesOrder?
        /// True when the original was fetched and is gone (404).
        public var originalMissing = false
        /// This copy's version (nil: the rules give none, or this copy has none usable).
        public var version: OrderVersion?
        /// Its version is the one last pushed (so a replace is of different content with the same version).
        public var sameVersionAsPushed = false
        /// What its version says, and why it is an older copy (nil: it is not): described on every plan of it.
        var reading: OrderVersion.Reading = .undeclared
        var staleReason: String?
    }

    /// `record` with its customer's mapping set by hand applied.
    public func mapped(_ record: BatchRecord) throws -> BatchRecord {
        try manual.apply(to: record, tag: pipeline.customerCodeTag)
    }

    /// Plans `record` with what `source` knows, without asking anyone (preview, serve).
    /// `position`: where the copy is in the run, to tell it from the run's other copies of the order.
    public func plan(_ record: BatchRecord, at position: NewestCopies.Position? = nil, explain: Bool = false) -> OrderPlan {
        guard let snapshot = source.snapshot else {
            // The same facts for every order: nothing to compare, so no payload hash to take.
            var facts = source.assumed
            let reading = pipeline.version(of: record)
            let stale = staleness(record, reading: reading, row: nil, position: position)
            if stale != nil { facts.insert(.stale) }
            var plan = pipeline.plan(record, state: OrderState(facts: facts), reference: reference, explain: explain)
            describe(&plan, stale: stale, reading: reading)
            return plan
        }
        // A mapping that cannot be applied leaves the order as it is (the import then rejects it, saying why).
        let record = (try? mapped(record)) ?? record
        let row = OrderIdentity.sourceID(of: record).flatMap { snapshot.rows[$0] }
        let planned = basePlan(record, row: row, position: position, explain: explain)
        // Listed by Unleashed: as it stands there; not listed: not modified since our write, as we left it.
        guard case .unleashed(let view, ledger: _, assumed: _) = source, let row, let guid = needsOriginal(planned, row: row),
              let original = view.orders[guid] else { return planned.plan }
        return refine(planned, row: row, original: original, explain: explain).plan
    }

    /// Plans `record` against its ledger row, asking Unleashed for the original when the plan
    /// would write to it (`fetch`: nil never asks). The import's path.
    public func plan(_ record: BatchRecord, row: OrderRecord?, at position: NewestCopies.Position? = nil, explain: Bool = false,
                     fetch: ((String) async throws -> SalesOrder?)?) async throws -> Planned {
        let planned = basePlan(try mapped(record), row: row, position: position, explain: explain)
        guard let fetch, let guid = needsOriginal(planned, row: row) else { return planned }
        return refine(planned, row: row, original: try await fetch(guid), explain: explain)
    }

    /// Plans `record` with the facts the ledger alone knows (`pushed`, `changed`, a block
    /// recorded before, `superseded`) and the run's other copies (`stale`).
    func basePlan(_ record: BatchRecord, row: OrderRecord?, position: NewestCopies.Position?, explain: Bool) -> Planned {
        var facts: Set<StateFact> = []
        if row?.guid != nil { facts.insert(.pushed) }
        if row?.state == .blocked { facts.insert(.changed_in_unleashed) }
        if row?.state == .superseded { facts.insert(.superseded) }
        let reading = pipeline.version(of: record)
        let stale = staleness(record, reading: reading, row: row, position: position)
        if stale != nil { facts.insert(.stale) }
        var plan = pipeline.plan(record, state: OrderState(facts: facts), reference: reference, explain: explain)
        let hash = PayloadHash.of(plan.payload.bytes)
        if let row, row.guid != nil, row.payloadHash != hash {
            facts.insert(.changed)
            plan = pipeline.plan(record, state: OrderState(facts: facts), reference: reference, explain: explain)
        }
        describe(&plan, stale: stale, reading: reading)
        var planned = Planned(record: record, plan: plan, state: OrderState(facts: facts), hash: hash)
        planned.reading = reading
        planned.staleReason = stale
        planned.version = reading.version
        planned.sameVersionAsPushed = reading.version != nil && reading.version?.milliseconds == row?.pushedVersion
        return planned
    }

    /// Why this copy is an older one (nil: it is not): a newer copy in the run, else a version
    /// before the one last pushed.
    func staleness(_ record: BatchRecord, reading: OrderVersion.Reading, row: OrderRecord?, position: NewestCopies.Position?) -> String? {
        let label = pipeline.versionLabel
        let mine = reading.version.map { "\(label) \($0)" } ?? "no usable \(label)"
        if let copies, let position, let id = OrderIdentity.sourceID(of: record), let newer = copies.newer(than: position, id: id) {
            let theirs = newer.version.map { "\(label) \($0)" } ?? "no \(label)"
            let place = copies.describe(newer, from: position)
            if let version = reading.version, let later = newer.version {
                return version < later ? "\(mine) is before that of the copy \(place), \(theirs), which supersedes it"
                    : "\(mine) is the same as that of the copy \(place), which comes later and supersedes it"
            }
            return "\(mine); the copy \(place) (\(theirs)) comes later and supersedes it"
        }
        if let version = reading.version, let pushed = row?.pushedVersion, version.milliseconds < pushed {
            return "\(mine) is before the pushed version's \(OrderVersion(milliseconds: pushed))"
        }
        return nil
    }

    /// Names the versions in the message of a stale copy's plan, and warns of a copy without a
    /// usable version (it is ordered by position only).
    func describe(_ plan: inout OrderPlan, stale: String?, reading: OrderVersion.Reading) {
        if let stale { plan.message = [plan.message, stale].compactMap { $0 }.joined(separator: ": ") }
        if case .unusable(let text) = reading {
            let label = pipeline.versionLabel
            let what = text.map { "\(label) \"\(TerminalText.escaped(String($0.prefix(80))))\" is not an ISO-8601 timestamp" } ?? "the order has no \(label)"
            plan.problems.append(PlanProblem(
                .noVersion, "\(what) (the rules' order_version), so this copy cannot be ordered against the order's other copies "
                    + "or the version last pushed: it is handled as the latest copy by position. Export the order with its \(label).",
                field: nil, rule: nil))
        }
    }

    /// The GUID of the original to ask Unleashed about: only when the plan would write to it.
    func needsOriginal(_ planned: Planned, row: OrderRecord?) -> String? {
        guard planned.plan.action == .replace || planned.plan.action == .supersede else { return nil }
        return row?.guid
    }

    /// The plan again with what Unleashed says of the original (nil: it is gone).
    func refine(_ planned: Planned, row: OrderRecord?, original: SalesOrder?, explain: Bool) -> Planned {
        var planned = planned
        planned.original = original
        planned.originalMissing = original == nil
        var facts = planned.state.facts
        if Self.changedInUnleashed(original, row: row) { facts.insert(.changed_in_unleashed) }
        planned.state = OrderState(facts: facts)
        planned.plan = pipeline.plan(planned.record, state: planned.state, reference: reference, explain: explain,
                                     original: original?.json)
        describe(&planned.plan, stale: planned.staleReason, reading: planned.reading)
        return planned
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
