import Rules

/// The bounds on what a rule file can make an evaluation do (docs/rules.md §10): a text value is
/// at most 1 MiB, and one order's expressions make at most 64 MiB of text in all. A rule file
/// has no function that reads a file, reaches the network or runs code, and without loops or
/// recursion its work per order is bounded by its size; these bounds keep that work small even
/// for a hostile file (say, `replace` nested to grow a text tenfold at each level).
extension Evaluator {
    /// The longest text a function may make, in UTF-8 bytes.
    static let maxTextBytes = 1 << 20
    /// The text one order's expressions may make in all, in UTF-8 bytes.
    static let textBudgetPerOrder = 64 << 20

    /// Whether a function may make a text of `bytes` bytes: within the cap and the order's
    /// budget (which it then spends). Otherwise an `E-EXPR` problem says which bound, once for
    /// the budget, and the caller gives null.
    func mayMakeText(_ bytes: Int, by function: BuiltinFunction, _ site: ExpressionSite) -> Bool {
        if textBudgetSpent { return false }
        if bytes > Self.maxTextBytes {
            fail(site, "\(function.rawValue) would make a text of \(bytes) bytes, over the limit of \(Self.maxTextBytes) bytes (1 MiB)")
            return false
        }
        textMade += bytes
        if textMade > Self.textBudgetPerOrder {
            textBudgetSpent = true
            fail(site, "the rules made more than \(Self.textBudgetPerOrder >> 20) MiB of text for this order; this and every later text function give null")
            return false
        }
        return true
    }

    /// `replace(s, find, with)`, refused before it is built when it would be too long.
    func boundedReplace(_ s: String, _ find: String, _ with: String, _ site: ExpressionSite) -> Value {
        let growth = with.utf8.count - find.utf8.count
        var size = s.utf8.count
        if growth > 0 {
            let occurrences = s.ranges(of: find).count
            size += occurrences * growth
        }
        guard mayMakeText(size, by: .replace, site) else { return .null }
        return .text(s.replacing(find, with: with))
    }

    /// `concat` and `join`: the parts joined, refused before it is built when it would be too long.
    func boundedJoin(_ parts: [String], separator: String, by function: BuiltinFunction, _ site: ExpressionSite) -> Value {
        let size = parts.reduce(0) { $0 + $1.utf8.count } + max(0, parts.count - 1) * separator.utf8.count
        guard mayMakeText(size, by: function, site) else { return .null }
        return .text(parts.joined(separator: separator))
    }
}
