import Batch
import Dispatch
import Ledger
import Pipeline
import Facts
import Rules

/// The page's check and preview, on the real checker and pipeline: the edited rule set is
/// checked in memory, compiled, and every sample order is planned; the chosen order is planned
/// again with `explain` so each field says where it came from.
public struct PreviewEngine: Sendable {
    /// The state switch: which `state.*` facts every order is planned with, or the ledger's.
    public enum StateChoice: String, Sendable, CaseIterable {
        case new, pushed, changed, changedInUnleashed = "changed_in_unleashed", ledger

        /// The facts assumed (`ledger` plans with each order's own facts).
        public var facts: Set<StateFact> {
            switch self {
            case .new, .ledger: return []
            case .pushed: return [.pushed]
            case .changed: return [.pushed, .changed]
            case .changedInUnleashed: return [.pushed, .changed_in_unleashed]
            }
        }
    }

    /// Which order to explain.
    public struct Selection: Sendable {
        public var batch: Int
        public var index: Int
        public init(batch: Int, index: Int) { self.batch = batch; self.index = index }
    }

    public let workspace: RuleWorkspace
    public let settingsFiles: [String]
    public let overrides: [String]

    /// An engine over the rules folder (and the command's `--settings`/`--set`, applied after its files).
    public init(workspace: RuleWorkspace, settingsFiles: [String] = [], overrides: [String] = []) {
        self.workspace = workspace
        self.settingsFiles = settingsFiles
        self.overrides = overrides
    }

    /// `{"ok", "summary", "diagnostics"}` for the rule set with `edits`.
    public func check(_ edits: [String: String]) throws(RuleWorkspace.Refusal) -> [UInt8] {
        let result = try workspace.check(edits, settingsFiles: settingsFiles, overrides: overrides)
        var writer = JSONWriter()
        writer.beginObject()
        ServeJSON.checkMembers(result, workspace: workspace, into: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// The check, and when the rules have no errors the plan of every sample order (the list
    /// view), the counts per action, and the selected order's plan with its explanations (and,
    /// with a ledger, what the ledger knows of it and, given the payload last `pushed`, what
    /// changed against it field by field). With `list` false, only the selected order.
    public func preview(_ edits: [String: String], samples: SampleSet, selection: Selection?, state: StateChoice,
                        ledger: LedgerSnapshot?, pushed: PushedPayload? = nil, list: Bool = true) throws(RuleWorkspace.Refusal) -> [UInt8] {
        let started = DispatchTime.now()
        let result = try workspace.check(edits, settingsFiles: settingsFiles, overrides: overrides)
        let checked = DispatchTime.now()
        var writer = JSONWriter(capacity: 1 << 16)
        writer.beginObject()
        ServeJSON.checkMembers(result, workspace: workspace, into: &writer)
        guard case .loaded(let ruleSet, let settings) = result.outcome else {
            writer.endObject()
            return writer.bytes
        }
        let pipeline: CompiledPipeline
        do throws(CompiledPipeline.CompileError) {
            pipeline = try CompiledPipeline(ruleSet: ruleSet, settings: settings)
        } catch {
            writer.key("compileError")
            writer.string("\(error)")
            writer.endObject()
            return writer.bytes
        }
        // The one facts path, as the preview command and the import plan: the ledger's facts, or the switch's.
        let source: FactSource = state == .ledger ? (ledger.map(FactSource.ledger) ?? .assumed([])) : .assumed(state.facts)
        // The samples are one run: only the newest copy of an order is planned to change anything.
        var copies = NewestCopies(paths: samples.samples.map(\.name))
        for (batch, sample) in samples.samples.enumerated() {
            for record in sample.records {
                guard let id = OrderIdentity.sourceID(of: record) else { continue }
                copies.note(id: id, version: pipeline.version(of: record).version, at: NewestCopies.Position(batch: batch, index: record.index))
            }
        }
        let facts = FactFinder(pipeline: pipeline, source: source, copies: copies)
        func plan(_ record: BatchRecord, batch: Int, explain: Bool) -> OrderPlan {
            facts.plan(record, at: NewestCopies.Position(batch: batch, index: record.index), explain: explain)
        }
        if list {
            var counts: [Action: Int] = [:]
            var problems = 0
            var withErrors = 0
            writer.key("orders")
            writer.beginArray()
            for (batch, sample) in samples.samples.enumerated() {
                for record in sample.records {
                    let planned = plan(record, batch: batch, explain: false)
                    counts[planned.action, default: 0] += 1
                    problems += planned.problems.count
                    if planned.hasErrors || planned.action == .invalid { withErrors += 1 }
                    ServeJSON.listEntry(planned, batch: batch, into: &writer)
                }
            }
            writer.endArray()
            writer.key("summary")
            ServeJSON.summary(orders: counts.values.reduce(0, +), counts: counts, problems: problems, withErrors: withErrors, into: &writer)
        }
        writer.key("selected")
        if let selection, let record = samples.record(selection.batch, selection.index) {
            let planned = plan(record, batch: selection.batch, explain: true)
            writer.beginObject()
            writer.key("batch")
            writer.int(selection.batch)
            writer.key("index")
            writer.int(record.index)
            writer.key("plan")
            planned.write(to: &writer)
            writer.key("fields")
            ServeJSON.flatFields(planned.payload.jsonValue, into: &writer)
            writer.key("order")
            writer.write(record.order, record.order.root)
            writer.key("ledger")
            ServeJSON.ledgerEntry(planned.sourceID.flatMap { ledger?.rows[$0] }, payload: planned.payload,
                                  pushed: pushed.flatMap { $0.sourceID == planned.sourceID ? $0 : nil }, into: &writer)
            writer.endObject()
        } else {
            writer.null()
        }
        let planned = DispatchTime.now()
        writer.key("timing")
        writer.beginObject()
        writer.key("checkMs")
        writer.int(Int((checked.uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000))
        writer.key("planMs")
        writer.int(Int((planned.uptimeNanoseconds - checked.uptimeNanoseconds) / 1_000_000))
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}
