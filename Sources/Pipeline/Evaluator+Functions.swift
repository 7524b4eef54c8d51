import Batch
import Rules
import UnleashedContract

extension Evaluator {
    /// Calls a built-in function. Every function is total: input it cannot use gives null.
    func call(_ function: BuiltinFunction, _ arguments: [CompiledExpression], _ site: ExpressionSite) -> Value {
        // Functions that do not evaluate all their arguments up front.
        if function == .coalesce {
            for argument in arguments {
                let v = evaluate(argument)
                if !v.isNull { return v }
            }
            return .null
        }
        // Up to three arguments live in locals (no array per call); variadic functions build one.
        let count = arguments.count
        let first = count > 0 ? evaluate(arguments[0]) : .null
        let second = count > 1 ? evaluate(arguments[1]) : .null
        let third = count > 2 ? evaluate(arguments[2]) : .null
        switch function {
        case .concat, .min, .max, .sum:
            var args = [first, second, third]
            args.removeLast(max(0, 3 - count))
            for argument in arguments.dropFirst(3) { args.append(evaluate(argument)) }
            return variadic(function, args, site)
        default:
            return fixed(function, count, first, second, third, site)
        }
    }

    /// Functions of one to three arguments.
    private func fixed(_ function: BuiltinFunction, _ count: Int, _ first: Value, _ second: Value, _ third: Value,
                                _ site: ExpressionSite) -> Value {
        switch function {
        case .text:
            return first.displayText(records).map(Value.text) ?? .null
        case .lower:
            return first.displayText(records).map { .text($0.lowercased()) } ?? .null
        case .upper:
            return first.displayText(records).map { .text($0.uppercased()) } ?? .null
        case .trim:
            return first.displayText(records).map { .text($0.trimmingSpaces) } ?? .null
        case .substr:
            let start = countArgument(second, of: function, argument: 2, site)
            let length = countArgument(third, of: function, argument: 3, site)
            guard let s = first.displayText(records), let start, let length else { return .null }
            let characters = Array(s)
            let from = min(start, characters.count)
            let to = from + min(length, characters.count - from)
            return .text(String(characters[from..<to]))
        case .truncate:
            guard let n = countArgument(second, of: function, argument: 2, site) else { return .null }
            return truncate(first, n)
        case .replace:
            guard let s = first.displayText(records) else { return .null }
            guard let find = second.displayText(records), !find.isEmpty else { return .text(s) }
            return boundedReplace(s, find, third.displayText(records) ?? "", site)
        case .length:
            return length(first)
        case .nonempty:
            return isEmptyValue(first) ? .null : first
        case .join:
            guard let list = first.listValue(records) else { return .null }
            let separator = second.displayText(records) ?? ""
            return boundedJoin(list.compactMap { $0.displayText(records) }, separator: separator, by: .join, site)
        case .decimal:
            return first.decimalValue(records).map(Value.number) ?? .null
        case .round, .round_even:
            let places = countArgument(second, of: function, argument: 2, site, atMost: ExactDecimal.maxScale)
            guard let d = first.decimalValue(records), let places else { return .null }
            return .number(d.rounded(scale: places, rule: function == .round ? .halfUp : .halfEven))
        case .abs:
            guard let d = first.decimalValue(records) else { return .null }
            return .number(d.isNegative ? (d.negated ?? d) : d)
        case .local_date:
            return localDate(first, second, site)
        case .date:
            return utcDate(first, site)
        case .lookup:
            guard let tableName = first.displayText(records), let table = program.tables[tableName] else { return count > 2 ? third : .null }
            if let key = second.displayText(records), let found = table[key] { return .text(found) }
            return count > 2 ? third : .null
        case .exists:
            return .bool(!first.isNull)
        case .empty:
            return .bool(isEmptyValue(first))
        case .contains:
            return contains(first, second)
        case .starts_with:
            guard let s = first.displayText(records), let prefix = second.displayText(records) else { return .bool(false) }
            return .bool(s.hasPrefix(prefix))
        case .warehouse_exists:
            guard let code = first.displayText(records) else { return .bool(false) }
            return .bool(reference.warehouseExists(code))
        case .coalesce, .concat, .min, .max, .sum:
            return .null
        }
    }

    /// `concat`, `min`, `max`, `sum`.
    private func variadic(_ function: BuiltinFunction, _ args: [Value], _ site: ExpressionSite) -> Value {
        if function == .concat {
            return boundedJoin(args.map { $0.displayText(records) ?? "" }, separator: "", by: .concat, site)
        }
        return aggregate(function, args)
    }

    /// A count argument (a length, a start, decimal places): a whole number from 0 to `atMost`.
    /// Null gives nil quietly (null in, null out); any other value that is not such a number gives
    /// nil and an `E-EXPR` problem naming the function, the argument, the value and the rule's place,
    /// the same for every function (docs/rules.md §10).
    func countArgument(_ value: Value, of function: BuiltinFunction, argument: Int, _ site: ExpressionSite,
                atMost limit: Int = Int.max) -> Int? {
        if value.isNull { return nil }
        if let n = integer(value), n >= 0, n <= limit { return n }
        let shown = value.displayText(records).map { value.decimalValue(records) == nil ? "\"\($0.prefix(60))\"" : String($0.prefix(60)) }
            ?? value.kindName(records)
        let what = function == .round || function == .round_even ? "decimal places" : (function == .substr && argument == 2 ? "a start" : "a length")
        fail(site, "argument \(argument) of \(function.rawValue) is \(shown), but \(what) must be a whole number\(limit == Int.max ? " ≥ 0" : " from 0 to \(limit)")")
        return nil
    }

    /// A whole number from a number value.
    func integer(_ value: Value) -> Int? {
        guard let d = value.decimalValue(records) else { return nil }
        let whole = d.rounded(scale: 0, rule: .down)
        guard whole == d, let n = Int(exactly: whole.significand) else { return nil }
        return n
    }

    /// null, "", {} or [].
    func isEmptyValue(_ value: Value) -> Bool {
        switch value {
        case .null, .omit: return true
        case .text(let s): return s.isEmpty
        case .list(let l): return l.isEmpty
        case .json(let j):
            switch j {
            case .null: return true
            case .string(let s): return s.isEmpty
            case .array(let a): return a.isEmpty
            case .object(let o): return o.count == 0
            default: return false
            }
        case .node(let slot, let i):
            guard let record = records.record(slot) else { return true }
            switch record.kind(i) {
            case .string: return record.rawJSON(i).elementsEqual([0x22, 0x22])
            case .array, .object: return record.count(i) == 0
            default: return false
            }
        default: return false
        }
    }

    /// `truncate(s, n)`: at most n characters. Batch text short enough stays on the tape.
    func truncate(_ value: Value, _ n: Int) -> Value {
        if case .node(let slot, let i) = value, let record = records.record(slot), record.kind(i) == .string,
           record.rawJSON(i).count - 2 <= n {
            return value
        }
        guard let s = value.displayText(records) else { return .null }
        return .text(UnleashedText.prefix(s, n))
    }

    /// Characters of text, elements of a list, members of an object.
    func length(_ value: Value) -> Value {
        switch value {
        case .node(let slot, let i):
            guard let record = records.record(slot) else { return .null }
            switch record.kind(i) {
            case .array, .object: return .number(ExactDecimal(record.count(i)))
            case .string: return .number(ExactDecimal(record.string(i)?.count ?? 0))
            default: return .null
            }
        case .text(let s): return .number(ExactDecimal(s.count))
        case .list(let l): return .number(ExactDecimal(l.count))
        case .json(let j):
            if let s = j.stringValue { return .number(ExactDecimal(s.count)) }
            if let a = j.arrayValue { return .number(ExactDecimal(a.count)) }
            if let o = j.objectValue { return .number(ExactDecimal(o.count)) }
            return .null
        default: return .null
        }
    }

    /// `min`, `max` over the arguments (or over one list argument); `sum` of one list. Nulls skipped.
    func aggregate(_ function: BuiltinFunction, _ args: [Value]) -> Value {
        var items = args
        if args.count == 1, let list = args[0].listValue(records) { items = list }
        let numbers = items.compactMap { $0.decimalValue(records) }
        switch function {
        case .sum:
            var total = ExactDecimal.zero
            for n in numbers {
                guard let next = total.adding(n) else { return .null }
                total = next
            }
            return .number(total)
        case .min: return numbers.min().map(Value.number) ?? .null
        default: return numbers.max().map(Value.number) ?? .null
        }
    }

    /// Text contains text, or a list contains an equal value.
    func contains(_ haystack: Value, _ needle: Value) -> Value {
        if let list = haystack.listValue(records) {
            return .bool(list.contains { equals($0, needle) })
        }
        guard let s = haystack.textValue(records), let n = needle.displayText(records) else { return .bool(false) }
        return .bool(n.isEmpty || s.contains(n))
    }
}
