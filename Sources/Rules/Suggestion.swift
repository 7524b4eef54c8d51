/// "Did you mean …?": the closest candidate by edit distance, when close enough to be a typo.
enum Suggestion {
    /// The best candidate within a few edits (none for words under 3 letters, 1 under 5, then 2 or a third
    /// of the length), case-insensitively; nil when none is close.
    static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let lower = word.lowercased()
        let lowerLength = lower.unicodeScalars.count
        let wordLength = word.count
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let shorter = min(wordLength, candidate.count)
            let limit = shorter < 3 ? 0 : (shorter < 5 ? 1 : max(2, shorter / 3))
            // The distance is at least the difference in length: skip the quadratic work when that
            // alone is too far (a huge value in a settings file would otherwise take minutes).
            let other = candidate.lowercased()
            guard abs(lowerLength - other.unicodeScalars.count) <= limit else { continue }
            let distance = editDistance(lower, other)
            guard distance <= limit else { continue }
            if best == nil || distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// `did you mean 'x'?` or nil.
    static func hint(for word: String, among candidates: some Sequence<String>) -> String? {
        closest(to: word, among: candidates).map { "did you mean '\($0)'?" }
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            previous2 = previous
            previous = current
        }
        return previous[y.count]
    }
}
