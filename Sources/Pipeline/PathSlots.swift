import Batch
import Rules

/// Path prefixes interned at compile time, so each prefix (`order.retailerAddress`) is looked up
/// once per order (or per line for `line.*`) however many fields read below it.
struct PathSlot: Sendable {
    /// The slot this one steps from; nil: it steps from the base root.
    let parent: Int?
    let base: PathBase
    let step: PathStep
}

/// Collects `PathSlot`s while compiling (used only during `CompiledPipeline.init`).
final class PathInterner {
    private(set) var slots: [PathSlot] = []
    private var index: [String: Int] = [:]
    /// Expression sites (location and text) for runtime problems.
    private(set) var sites: [SiteInfo] = []

    /// Records where `expression` was written.
    func site(_ expression: Expression) -> ExpressionSite {
        sites.append(SiteInfo(expression))
        return ExpressionSite(index: sites.count - 1)
    }

    /// The slot of the whole path (nil for an empty path).
    func intern(_ base: PathBase, _ steps: [PathStep]) -> Int? {
        var parent: Int?
        var key = "\(base)"
        for step in steps {
            switch step {
            case .key(_, let name): key += ".\(name.count):\(name)"
            case .index(let n): key += "[\(n)]"
            }
            if let known = index[key] {
                parent = known
                continue
            }
            slots.append(PathSlot(parent: parent, base: base, step: step))
            parent = slots.count - 1
            index[key] = parent
        }
        return parent
    }
}

/// Per-order memo of resolved slots: -2 unknown, -1 missing, else record slot << 32 | tape index.
struct SlotMemo {
    var entries: [Int64]
    /// Slots under `line`, forgotten whenever the line changes.
    let lineSlots: [Int]

    init(count: Int, lineSlots: [Int]) {
        entries = Array(repeating: -2, count: count)
        self.lineSlots = lineSlots
    }

    mutating func forgetLine() {
        for s in lineSlots { entries[s] = -2 }
    }
}

extension Evaluator {
    /// The record and tape index at slot `s`, nil when any part of the path is missing.
    func resolve(slot s: Int) -> (slot: RecordSlot, index: JSONIndex)? {
        let known = memo.entries[s]
        if known >= 0 {
            return (known >> 32 == 0 ? .order : .customer, JSONIndex(raw: Int32(truncatingIfNeeded: known & 0xFFFF_FFFF)))
        }
        if known == -1 { return nil }
        var from: (slot: RecordSlot, index: JSONIndex)?
        let parent = program.slotParents[s]
        if parent >= 0 {
            from = resolve(slot: parent)
        } else {
            switch program.slotBases[s] {
            case .order: from = (.order, records.order.root)
            case .customer: from = customerRoot
            case .line:
                if case .node(let recordSlot, let i) = line { from = (recordSlot, i) }
            case .original: from = nil
            }
        }
        var result: (slot: RecordSlot, index: JSONIndex)?
        if let from {
            let next: JSONIndex?
            let index = program.slotIndexes[s]
            if from.slot == .order {
                next = index >= 0 ? records.order.element(from.index, index) : records.order.member(from.index, program.slotKeys[s])
            } else if let customer = records.customer {
                next = index >= 0 ? customer.element(from.index, index) : customer.member(from.index, program.slotKeys[s])
            } else {
                next = nil
            }
            result = next.map { (from.slot, $0) }
        }
        if let result {
            memo.entries[s] = Int64(result.slot == .order ? 0 : 1) << 32 | Int64(result.index.raw)
        } else {
            memo.entries[s] = -1
        }
        return result
    }

    /// The value at slot `s` (JSON null and missing parts give `.null`).
    func value(slot s: Int) -> Value {
        guard let found = resolve(slot: s) else { return .null }
        if found.slot == .order { return Value.read(records.order, .order, found.index) }
        guard let customer = records.customer else { return .null }
        return Value.read(customer, .customer, found.index)
    }
}
