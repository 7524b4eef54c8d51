/// The kind of a JSON value on a record's tape.
public enum JSONKind: Sendable {
    case null, bool, number, string, array, object
}

/// A value's position on a `JSONRecord`'s tape.
public struct JSONIndex: Sendable, Hashable {
    /// The tape index.
    public let raw: Int32

    /// An index from its raw tape position.
    @inlinable
    public init(raw: Int32) {
        self.raw = raw
    }
}
