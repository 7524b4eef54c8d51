/// One token of an expression, with its offset (in Unicode scalars) into the expression text.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Hashable {
        case number(String)
        case text(String)
        case name(String)
        case symbol(String)
        case end
    }
    var kind: Kind
    var offset: Int

    /// The token as shown in messages.
    var display: String {
        switch kind {
        case .number(let n): return n
        case .text(let t): return "\"\(t)\""
        case .name(let n): return n
        case .symbol(let s): return s
        case .end: return "end of expression"
        }
    }

    func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }
    func isName(_ n: String) -> Bool { kind == .name(n) }
}

/// Splits expression text into tokens. A lexical error is returned with its offset.
enum ExpressionLexer {
    struct Failure: Error {
        var message: String
        var offset: Int
        var hint: String?
    }

    private static let twoCharSymbols: Set<String> = ["??", "==", "!=", "<=", ">="]
    private static let oneCharSymbols: Set<Unicode.Scalar> = ["?", ":", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ".", ","]

    static func tokens(_ chars: [Unicode.Scalar]) -> Result<[ExpressionToken], Failure> {
        var tokens: [ExpressionToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.properties.isWhitespace { i += 1; continue }
            let start = i
            if c.isASCIIDigit {
                while i < chars.count, chars[i].isASCIIDigit { i += 1 }
                if i + 1 < chars.count, chars[i] == ".", chars[i + 1].isASCIIDigit {
                    i += 1
                    while i < chars.count, chars[i].isASCIIDigit { i += 1 }
                }
                if i < chars.count, chars[i].isIdentifierChar {
                    return .failure(Failure(message: "a number cannot be followed by '\(chars[i])'", offset: i))
                }
                tokens.append(ExpressionToken(kind: .number(String(String.UnicodeScalarView(chars[start..<i]))), offset: start))
            } else if c.isIdentifierStart {
                while i < chars.count, chars[i].isIdentifierChar { i += 1 }
                tokens.append(ExpressionToken(kind: .name(String(String.UnicodeScalarView(chars[start..<i]))), offset: start))
            } else if c == "\"" || c == "'" {
                switch text(chars, from: i) {
                case .success(let (value, next)):
                    tokens.append(ExpressionToken(kind: .text(value), offset: start))
                    i = next
                case .failure(let failure):
                    return .failure(failure)
                }
            } else if i + 1 < chars.count, twoCharSymbols.contains(String(String.UnicodeScalarView([c, chars[i + 1]]))) {
                tokens.append(ExpressionToken(kind: .symbol(String(String.UnicodeScalarView([c, chars[i + 1]]))), offset: start))
                i += 2
            } else if oneCharSymbols.contains(c) {
                tokens.append(ExpressionToken(kind: .symbol(String(c)), offset: start))
                i += 1
            } else {
                return .failure(Failure(message: "unexpected character '\(c)'", offset: i, hint: hint(for: c)))
            }
        }
        tokens.append(ExpressionToken(kind: .end, offset: chars.count))
        return .success(tokens)
    }

    private static func hint(for c: Unicode.Scalar) -> String? {
        switch c {
        case "=": return "compare with '==' (there is no assignment)"
        case "!": return "write 'not x' for negation, '!=' for 'not equal'"
        case "&": return "write 'and'"
        case "|": return "write 'or'"
        case "#": return "a ' #' starts a YAML comment; quote the value if you mean text"
        default: return nil
        }
    }

    /// A quoted string inside an expression: `"…"` or `'…'`, with `\"`, `\'`, `\\`, `\n`, `\t`.
    private static func text(_ chars: [Unicode.Scalar], from start: Int) -> Result<(String, Int), Failure> {
        let quote = chars[start]
        var value = String.UnicodeScalarView()
        var i = start + 1
        while i < chars.count {
            let c = chars[i]
            if c == quote { return .success((String(value), i + 1)) }
            if c == "\\" {
                guard i + 1 < chars.count else { break }
                switch chars[i + 1] {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\\", "\"", "'": value.append(chars[i + 1])
                default:
                    return .failure(Failure(message: "unknown escape '\\\(chars[i + 1])' in text", offset: i,
                                            hint: "use \\\\, \\\", \\', \\n or \\t"))
                }
                i += 2
                continue
            }
            value.append(c)
            i += 1
        }
        return .failure(Failure(message: "text is not closed: missing \(quote)", offset: start))
    }
}

extension Unicode.Scalar {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    var isIdentifierStart: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_" }
    var isIdentifierChar: Bool { isIdentifierStart || isASCIIDigit }
}
