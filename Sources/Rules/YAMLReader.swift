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
            var message = failure.problem
            if let context = failure.context { message += " (\(context))" }
            report(.malformedYAML, "malformed YAML: \(message)", location(failure.mark), hint: hint(for: failure))
            return nil
        }
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
                report(.nestingTooDeep, "YAML nested deeper than \(Self.maxDepth) levels", here,
                       hint: "rule files need a few levels only; nested fields are written with dots on one level")
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
