// libyaml (CYaml, shipped inside Yams) directly: Yams' public API only hands out composed nodes, after aliases are
// resolved and without end marks; refusing an alias bomb before expansion, and placing every problem, needs the events.
import CYaml

/// Reads one YAML file into a `YAMLNode` tree straight from libyaml's events, so that hostile
/// input is caught before anything is built from it: anchors and aliases are rejected (an alias
/// bomb never expands), explicit tags are rejected, duplicate keys are reported at their second
/// occurrence, nesting is bounded, and a malformed file reports libyaml's own line:column.
/// Every problem is collected; reading goes on where it can.
struct YAMLReader {
    /// Files larger than this are refused before parsing.
    static let maxFileBytes = 1 << 20
    /// Deeper nesting than this is refused (the reader recurses once per level).
    static let maxDepth = 64
    /// libyaml drops a key candidate that runs on for more than this many characters.
    static let maxKeyLength = 1024
    /// At most this many forbidden characters are reported one by one per file.
    static let maxCharacterReports = 10

    let source: SourceText
    private(set) var diagnostics: [Diagnostic] = []

    init(source: SourceText) {
        self.source = source
    }

    /// Reads the single document of the file; nil when the file is empty or unusable.
    static func read(_ source: SourceText) -> (YAMLNode?, [Diagnostic]) {
        var reader = YAMLReader(source: source)
        let root = reader.readDocument()
        return (root, reader.diagnostics)
    }

    /// The diagnostic for a file of `size` bytes, more than `maxFileBytes`.
    static func tooLarge(_ size: Int, file: String) -> Diagnostic {
        Diagnostic(.fileTooLarge, "file is \(size) bytes; rule, settings and test files may be at most \(maxFileBytes) bytes (1 MiB)",
                   at: SourceLocation(file: file, line: 1, column: 1), hint: "split the rules into several files, one or more sections each")
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: source.path, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private mutating func report(_ code: DiagnosticCode, _ message: String, _ at: SourceLocation, hint: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: at, hint: hint))
    }

    private mutating func readDocument() -> YAMLNode? {
        let bytes = Array(source.text.utf8)
        if bytes.count > Self.maxFileBytes {
            diagnostics.append(Self.tooLarge(bytes.count, file: source.path))
            return nil
        }
        if bytes.isEmpty { return nil }  // libyaml wants a non-null input buffer
        // libyaml's reader checks characters ahead of the parser and gives no position for them:
        // find them all here, each at its own line and column.
        if reportForbiddenCharacters() { return nil }
        // The parser lives on the heap: the session keeps a pointer to it for the whole read.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        defer {
            parser.deinitialize(count: 1)
            parser.deallocate()
        }
        guard yaml_parser_initialize(parser) == 1 else { return nil }
        defer { yaml_parser_delete(parser) }
        return bytes.withUnsafeBufferPointer { buffer -> YAMLNode? in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var session = EventSession(parser: parser)
            return compose(&session)
        }
    }

    /// Drives the event stream: stream start, one document, stream end.
    private mutating func compose(_ session: inout EventSession) -> YAMLNode? {
        guard next(&session)?.type == YAML_STREAM_START_EVENT else { return nil }
        guard let start = next(&session) else { return nil }
        if start.type == YAML_STREAM_END_EVENT { return nil }
        guard start.type == YAML_DOCUMENT_START_EVENT, let first = next(&session) else { return nil }
        guard let root = node(from: first, &session, depth: 0) else { return nil }
        guard next(&session)?.type == YAML_DOCUMENT_END_EVENT else { return root }
        if let after = next(&session), after.type != YAML_STREAM_END_EVENT {
            report(.multipleDocuments, "a rule file holds one YAML document; a second one starts here", location(after.start),
                   hint: "remove the `---` line, or move the second document into its own file")
        }
        return root
    }

    /// The next event, or nil after reporting libyaml's error.
    private mutating func next(_ session: inout EventSession) -> Event? {
        switch session.next() {
        case .success(let event):
            return event
        case .failure(let failure):
            reportFailure(failure)
            return nil
        }
    }

    /// libyaml's error, in terms of what the rule author wrote where libyaml's wording is about
    /// libyaml itself (its nesting limit, its 1,024-character key window, its reader); libyaml's place.
    private mutating func reportFailure(_ failure: ParseFailure) {
        if let reader = failure.reader {
            let at = UTF8Check.location(of: reader.offset, in: Array(source.text.utf8), file: source.path)
            if let scalar = Unicode.Scalar(UInt32(bitPattern: reader.value)), failure.problem.contains("control characters") {
                reportForbidden(scalar, at, more: 0)
            } else {
                report(.malformedYAML, "malformed YAML: \(failure.problem) (value \(reader.value))", at,
                       hint: "re-save the file as UTF-8 text")
            }
            return
        }
        if failure.problem.contains("yaml_set_max_nest_level") || failure.problem.contains("Maximum nesting level") {
            // Already reported where the nesting passed the limit; libyaml just stopped further on.
            if diagnostics.contains(where: { $0.code == DiagnosticCode.nestingTooDeep.rawValue }) { return }
            report(.nestingTooDeep, Self.nestingMessage, location(failure.mark), hint: Self.nestingHint)
            return
        }
        if let length = longKey(before: failure.mark) {
            report(.malformedYAML,
                   "a key longer than 1,024 characters (this one has \(length)); YAML keys must fit on one line of at most 1,024 characters",
                   location(failure.mark), hint: "shorten the key; long text belongs in the value, after the ': '")
            return
        }
        if failure.problem == "could not find expected ':'", failure.context == "while scanning a simple key",
           let start = failure.contextMark {
            let text = source.lines[safe: Int(start.line)].map { String(String.UnicodeScalarView($0)) } ?? ""
            let shown = text.trimmingSpaces.count > 40 ? String(text.trimmingSpaces.prefix(40)) + "…" : text.trimmingSpaces
            report(.malformedYAML,
                   "'\(shown)' at line \(start.line + 1) is read as a key, but no ':' follows it",
                   location(failure.mark),
                   hint: "write `key: value` on one line; if the line continues the value above, indent it further or join the lines")
            return
        }
        var message = failure.problem
        if let context = failure.context { message += " (\(context))" }
        report(.malformedYAML, "malformed YAML: \(message)", location(failure.mark), hint: hint(for: failure))
    }

    static let nestingMessage = "YAML nested deeper than \(maxDepth) levels (rule files may nest at most \(maxDepth))"
    static let nestingHint = "rule files need a few levels only; nested fields are written with dots on one level"

    /// The length of the key that ends at `mark` (a ':' there), when it is longer than libyaml allows.
    private func longKey(before mark: yaml_mark_t) -> Int? {
        guard let row = source.lines[safe: Int(mark.line)] else { return nil }
        let end = Int(mark.column)
        guard end > Self.maxKeyLength, end < row.count, row[end] == ":" else { return nil }
        var start = end
        while start > 0, !["{", "[", ","].contains(row[start - 1]) { start -= 1 }
        while start < end, row[start] == " " || row[start] == "-" || row[start] == "?" { start += 1 }
        let length = end - start
        return length > Self.maxKeyLength ? length : nil
    }

    /// YAML's printable characters (libyaml's reader refuses every other one).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Reports each character YAML does not allow at its line and column (lines end where libyaml
    /// ends them, `SourceText.lines`; a leading byte order mark is not counted, like libyaml);
    /// true when there was any.
    private mutating func reportForbiddenCharacters() -> Bool {
        var found: [(Unicode.Scalar, SourceLocation)] = []
        var total = 0
        for (index, row) in source.lines.enumerated() {
            var column = 1
            for (offset, scalar) in row.enumerated() {
                if index == 0 && offset == 0 && scalar == "\u{FEFF}" { continue }
                if !Self.isAllowed(scalar) {
                    total += 1
                    if found.count < Self.maxCharacterReports {
                        found.append((scalar, SourceLocation(file: source.path, line: index + 1, column: column)))
                    }
                }
                column += 1
            }
        }
        for (index, (scalar, at)) in found.enumerated() {
            reportForbidden(scalar, at, more: index == found.count - 1 ? total - found.count : 0)
        }
        return total > 0
    }

    private mutating func reportForbidden(_ scalar: Unicode.Scalar, _ at: SourceLocation, more: Int) {
        let v = scalar.value
        let kind = v < 0x20 || (0x7F...0x9F).contains(v) ? "control character" : "character"
        let tail = more > 0 ? " (and \(more) more further on)" : ""
        var code = String(v, radix: 16, uppercase: true)
        while code.count < 4 { code = "0" + code }
        report(.malformedYAML, "\(kind) \(UTF8Check.describe(scalar)) is not allowed in a YAML file\(tail)", at,
               hint: "delete it (most editors do not show it); if a text value needs it, write it as \"\\u\(code)\" in double quotes")
    }

    /// A hint for the malformed-YAML mistakes rule authors make most.
    private func hint(for failure: ParseFailure) -> String? {
        let line = Int(failure.mark.line)
        let text = source.lines[safe: line].map { String(String.UnicodeScalarView($0)) } ?? ""
        if failure.problem.contains("mapping values are not allowed") {
            if text.contains(" ? ") {
                return "YAML reads ': ' as a key; write a `c ? a : b` expression as a block scalar: `Field: >-` and the expression on the next line, indented"
            }
            return "YAML reads ': ' as a key; write the value as a block scalar (`>-` and the value on the next line), or quote it if it is text"
        }
        if failure.problem.contains("found character that cannot start any token"), text.contains("\t") {
            return "YAML does not allow tabs for indentation; use spaces"
        }
        return nil
    }

    private mutating func checkDecorations(_ event: Event) {
        if let anchor = event.anchor {
            report(.aliasNotAllowed, "anchors are not allowed in rule files (found `&\(anchor)`)", location(event.start),
                   hint: "write the value out again where it is needed")
        }
        if let tag = event.tag {
            report(.tagNotAllowed, "explicit YAML tags are not allowed (found `\(tag)`)", location(event.start),
                   hint: "remove the tag; quote the value to make it text")
        }
    }

    /// Builds the node that starts with `event`; nil when the stream broke.
    private mutating func node(from event: Event, _ session: inout EventSession, depth: Int) -> YAMLNode? {
        let here = location(event.start)
        switch event.type {
        case YAML_ALIAS_EVENT:
            report(.aliasNotAllowed, "aliases are not allowed in rule files (found `*\(event.anchor ?? "")`)", here,
                   hint: "write the value out again where it is needed")
            return YAMLNode(kind: .scalar("", .plain), location: here, end: location(event.end))
        case YAML_SCALAR_EVENT:
            checkDecorations(event)
            return YAMLNode(kind: .scalar(event.value, event.style), location: here, end: location(event.end))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            checkDecorations(event)
            if depth >= Self.maxDepth {
                report(.nestingTooDeep, Self.nestingMessage, here, hint: Self.nestingHint)
                return skip(&session) ? YAMLNode(kind: .scalar("", .plain), location: here, end: here) : nil
            }
            return event.type == YAML_SEQUENCE_START_EVENT
                ? sequence(at: here, &session, depth: depth)
                : mapping(at: here, &session, depth: depth)
        default:
            return nil
        }
    }

    private mutating func sequence(at here: SourceLocation, _ session: inout EventSession, depth: Int) -> YAMLNode? {
        var items: [YAMLNode] = []
        while let event = next(&session) {
            if event.type == YAML_SEQUENCE_END_EVENT {
                return YAMLNode(kind: .sequence(items), location: here, end: location(event.end))
            }
            guard let item = node(from: event, &session, depth: depth + 1) else { return nil }
            items.append(item)
        }
        return nil
    }

    private mutating func mapping(at here: SourceLocation, _ session: inout EventSession, depth: Int) -> YAMLNode? {
        var pairs: [YAMLNode.Pair] = []
        var seen: [String: SourceLocation] = [:]
        while let event = next(&session) {
            if event.type == YAML_MAPPING_END_EVENT {
                return YAMLNode(kind: .mapping(pairs), location: here, end: location(event.end))
            }
            guard let key = node(from: event, &session, depth: depth + 1),
                  let valueEvent = next(&session),
                  let value = node(from: valueEvent, &session, depth: depth + 1) else { return nil }
            guard let name = key.scalar else {
                report(.wrongKind, "a key must be a plain name, not \(key.kindName)", key.location)
                continue
            }
            if let first = seen[name] {
                report(.duplicateKey, "duplicate key '\(name)' (first defined at line \(first.line))", key.location,
                       hint: "remove one of them; YAML keeps only one value per key")
                continue
            }
            seen[name] = key.location
            pairs.append(YAMLNode.Pair(key: key, value: value))
        }
        return nil
    }

    /// Skips the rest of a too-deep collection; false when the stream broke.
    private mutating func skip(_ session: inout EventSession) -> Bool {
        var open = 1
        while open > 0 {
            guard let event = next(&session) else { return false }
            switch event.type {
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT: open += 1
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT: open -= 1
            default: break
            }
        }
        return true
    }
}
