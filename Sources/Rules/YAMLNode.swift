/// A YAML node as read from a rule file: kind, location and (for scalars) the style it was
/// written in, because a plain scalar is an expression and a quoted one literal text.
struct YAMLNode: Sendable {
    /// How a scalar was written.
    enum Style: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
        /// Quoted scalars are literal text in the rule language.
        var isQuoted: Bool { self == .singleQuoted || self == .doubleQuoted }
        /// Plain and block scalars are expressions.
        var isExpression: Bool { !isQuoted }
    }

    /// One `key: value` pair of a mapping.
    struct Pair: Sendable {
        var key: YAMLNode
        var value: YAMLNode
    }

    enum Kind: Sendable {
        case scalar(String, Style)
        case mapping([Pair])
        case sequence([YAMLNode])
    }

    var kind: Kind
    /// Where the node starts.
    var location: SourceLocation
    /// Where the node ends (just after its last character).
    var end: SourceLocation

    /// The scalar's text, nil for mappings and sequences.
    var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }
    /// The scalar's style, nil for mappings and sequences.
    var style: Style? {
        if case .scalar(_, let style) = kind { return style }
        return nil
    }
    /// The pairs of a mapping, nil otherwise.
    var pairs: [Pair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }
    /// The items of a sequence, nil otherwise.
    var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }
    /// A plain scalar that YAML reads as null: empty, `~`, `null`, `Null`, `NULL`.
    var isNull: Bool {
        guard case .scalar(let text, .plain) = kind else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }
    /// What kind of node this is, for messages ("a mapping", "a list", "a scalar").
    var kindName: String {
        switch kind {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
    /// The value of `key` in a mapping (the first one; duplicates are diagnosed when reading).
    subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key.scalar == key }?.value
    }
}

/// One rule file's text, split into lines of Unicode scalars, to map offsets in a scalar's
/// value back to line:column in the file (libyaml counts columns in characters).
struct SourceText: Sendable {
    let path: String
    let text: String
    let lines: [[Unicode.Scalar]]

    init(path: String, text: String) {
        self.path = path
        self.text = text
        self.lines = Self.lines(of: text)
    }

    /// `text` split at YAML's line breaks, exactly where libyaml counts a new line for its marks:
    /// CR LF (one break), a lone CR, LF, NEL (U+0085), LS (U+2028) and PS (U+2029). Every line
    /// number in a diagnostic is libyaml's, so every map from a line number back to the text
    /// (positions inside a scalar, the source line shown under a diagnostic) splits here.
    static func lines(of text: String) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = [[]]
        var afterCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            switch scalar {
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": lines.append([])
            default: lines[lines.count - 1].append(scalar)
            }
        }
        return lines
    }

    private func char(_ line: Int, _ column: Int) -> Unicode.Scalar? {
        guard line >= 1, line <= lines.count else { return nil }
        let row = lines[line - 1]
        return column >= 1 && column <= row.count ? row[column - 1] : nil
    }

    /// For each Unicode scalar of a scalar node's value, where it was written in the file.
    /// Plain one-line scalars map one to one; folded, multi-line and block scalars are aligned
    /// by their non-space characters (only white space differs between value and source).
    func positions(of value: String, node: YAMLNode) -> [SourceLocation] {
        let chars = Array(value.unicodeScalars)
        var line = node.location.line
        var column = node.location.column
        if node.style == .literal || node.style == .folded {
            line += 1
            column = 1
        }
        var result: [SourceLocation] = []
        result.reserveCapacity(chars.count + 1)
        func advance() {
            if let row = lines[safe: line - 1], column <= row.count {
                column += 1
            } else {
                line += 1
                column = 1
            }
        }
        let endLine = max(node.end.line, line)
        for scalar in chars {
            if scalar.properties.isWhitespace {
                result.append(SourceLocation(file: path, line: line, column: column))
                if char(line, column) == scalar { advance() }
                continue
            }
            let saved = (line, column)
            while line <= endLine, char(line, column) != scalar { advance() }
            if line > endLine { (line, column) = saved }
            result.append(SourceLocation(file: path, line: line, column: column))
            advance()
        }
        result.append(SourceLocation(file: path, line: line, column: column))
        return result
    }
}

extension Array {
    /// The element at `index`, or nil when out of range.
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
