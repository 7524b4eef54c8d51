// libyaml (CYaml, shipped inside Yams) directly: Yams' public API only hands out composed nodes, after aliases are
// resolved and without end marks; refusing an alias bomb before expansion, and placing every problem, needs the events.
import CYaml

/// Refuses YAML anchors (`&x`) and aliases (`*x`) in a seed before anything is composed: an
/// alias is expanded by copying, so nested aliases ("billion laughs") would grow without bound.
/// The check reads libyaml's events only (no node is built), so it costs one pass over the text.
enum SeedAliasCheck {
    /// Throws at the first anchor or alias, naming `source`, line and column and what to do.
    /// A YAML syntax error is left to the parser that follows (it reports it with its place).
    static func check(_ text: String, source: String) throws(SandboxSetupError) {
        if text.isEmpty { return }  // libyaml wants a non-null input buffer
        // The parser lives on the heap (as in the rule reader): libyaml keeps state across calls.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        defer {
            parser.deinitialize(count: 1)
            parser.deallocate()
        }
        guard yaml_parser_initialize(parser) == 1 else { return }
        defer { yaml_parser_delete(parser) }
        let bytes = Array(text.utf8)
        let found: (kind: String, name: String, line: Int, column: Int)? = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_ALIAS_EVENT:
                    return ("aliases", "*" + name(event.data.alias.anchor), line, column)
                case YAML_SCALAR_EVENT where event.data.scalar.anchor != nil:
                    return ("anchors", "&" + name(event.data.scalar.anchor), line, column)
                case YAML_SEQUENCE_START_EVENT where event.data.sequence_start.anchor != nil:
                    return ("anchors", "&" + name(event.data.sequence_start.anchor), line, column)
                case YAML_MAPPING_START_EVENT where event.data.mapping_start.anchor != nil:
                    return ("anchors", "&" + name(event.data.mapping_start.anchor), line, column)
                default:
                    continue
                }
            }
        }
        if let found {
            throw SandboxSetupError("\(source):\(found.line):\(found.column): YAML \(found.kind) are not allowed in seeds (found `\(found.name)`); "
                                    + "write the value out in full where it is used (use `generate:` for many similar records)")
        }
    }

    private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        guard let pointer else { return "" }
        return String(String(cString: pointer).prefix(40))
    }
}
