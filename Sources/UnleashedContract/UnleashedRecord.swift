import Batch

/// A customer, product or reference-list record as Unleashed returned it.
public struct UnleashedRecord: Sendable, Hashable {
    /// The record exactly as answered.
    public var json: JSONValue

    /// Wraps one answered record.
    public init(json: JSONValue) {
        self.json = json
    }

    /// `Guid`, when the record has one.
    public var guid: String? { json["Guid"]?.stringValue }

    /// The member `key`.
    public subscript(key: String) -> JSONValue? { json[key] }
}
