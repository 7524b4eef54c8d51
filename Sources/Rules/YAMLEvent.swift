// libyaml (CYaml, shipped inside Yams) directly: Yams' public API only hands out composed nodes, after aliases are
// resolved and without end marks; refusing an alias bomb before expansion, and placing every problem, needs the events.
import CYaml

/// One libyaml event, copied out into Swift values (the C event is freed at once).
struct Event {
    var type: yaml_event_type_t
    var start: yaml_mark_t
    var end: yaml_mark_t
    var value: String = ""
    var style: YAMLNode.Style = .plain
    var tag: String?
    var anchor: String?
}

/// libyaml's error: problem, optional context, and where.
struct ParseFailure: Error {
    var problem: String
    var context: String?
    /// Where to report it: the problem's mark, or the context's when the problem has none.
    var mark: yaml_mark_t
    /// Where the construct the problem is in started (e.g. the simple key), when libyaml says.
    var contextMark: yaml_mark_t?
    /// For an error of libyaml's reader (bad bytes, control characters), which set no mark:
    /// the byte offset of the offending character and its value.
    var reader: (offset: Int, value: Int32)?
}

/// Pulls events out of an initialised `yaml_parser_t`.
struct EventSession {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private var failed = false

    init(parser: UnsafeMutablePointer<yaml_parser_t>) {
        self.parser = parser
    }

    /// The next event, or libyaml's error (after which nothing more is read).
    mutating func next() -> Result<Event, ParseFailure> {
        var raw = yaml_event_t()
        guard !failed, yaml_parser_parse(parser, &raw) == 1 else {
            failed = true
            let p = parser.pointee
            let problem = p.problem.map { String(cString: $0) } ?? "cannot read the file"
            let context = p.context.map { String(cString: $0) }
            let mark = p.problem_mark.line == 0 && p.problem_mark.column == 0 && p.context != nil ? p.context_mark : p.problem_mark
            let reader = p.error == YAML_READER_ERROR ? (offset: Int(p.problem_offset), value: p.problem_value) : nil
            return .failure(ParseFailure(problem: problem, context: context, mark: mark,
                                         contextMark: p.context != nil ? p.context_mark : nil, reader: reader))
        }
        defer { yaml_event_delete(&raw) }
        var event = Event(type: raw.type, start: raw.start_mark, end: raw.end_mark)
        switch raw.type {
        case YAML_SCALAR_EVENT:
            let scalar = raw.data.scalar
            event.value = Self.string(scalar.value, length: Int(scalar.length))
            event.tag = Self.string(scalar.tag)
            event.anchor = Self.string(scalar.anchor)
            switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: event.style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: event.style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: event.style = .literal
            case YAML_FOLDED_SCALAR_STYLE: event.style = .folded
            default: event.style = .plain
            }
        case YAML_SEQUENCE_START_EVENT:
            event.tag = Self.string(raw.data.sequence_start.tag)
            event.anchor = Self.string(raw.data.sequence_start.anchor)
        case YAML_MAPPING_START_EVENT:
            event.tag = Self.string(raw.data.mapping_start.tag)
            event.anchor = Self.string(raw.data.mapping_start.anchor)
        case YAML_ALIAS_EVENT:
            event.anchor = Self.string(raw.data.alias.anchor)
        default:
            break
        }
        return .success(event)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        let buffer = UnsafeBufferPointer(start: pointer, count: length)
        return String(decoding: buffer, as: UTF8.self)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
