/// An ordered JSON object.
///
/// Keys keep their insertion order. Duplicate keys (policy): parsing keeps the LAST value, at
/// the position where the key first appeared; setting an existing key replaces its value in
/// place; setting a new key appends; setting nil removes. Equality is order-sensitive.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// The keys in order.
    public private(set) var keys: [String]
    /// The values, parallel to `keys`.
    public private(set) var values: [JSONValue]

    /// An empty object.
    public init() {
        keys = []
        values = []
    }

    /// An object from pairs in order (a repeated key keeps the last value at the first position).
    public init(_ pairs: [(String, JSONValue)]) {
        self.init()
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// An object from parsed members in order: a repeated key keeps the last value at the
    /// position of the first, in linear time (a dictionary finds repeats in big objects).
    init(parsed keys: [String], _ values: [JSONValue]) {
        var positions: [String: Int] = [:]
        positions.reserveCapacity(keys.count > 16 ? keys.count : 0)
        var uniqueKeys: [String] = []
        var uniqueValues: [JSONValue] = []
        uniqueKeys.reserveCapacity(keys.count)
        uniqueValues.reserveCapacity(keys.count)
        let small = keys.count <= 16
        for (key, value) in zip(keys, values) {
            if let position = small ? uniqueKeys.firstIndex(of: key) : positions[key] {
                uniqueValues[position] = value
            } else {
                if !small { positions[key] = uniqueKeys.count }
                uniqueKeys.append(key)
                uniqueValues.append(value)
            }
        }
        self.keys = uniqueKeys
        self.values = uniqueValues
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// True when there are no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for `key`; setting keeps the position of an existing key, appends a new one,
    /// and nil removes.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = keys.firstIndex(of: key) else { return nil }
            return values[index]
        }
        set {
            if let index = keys.firstIndex(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Iterates `(key, value)` pairs in order.
    public func makeIterator() -> Iterator {
        Iterator(object: self)
    }

    /// The iterator over an object's members in order.
    public struct Iterator: IteratorProtocol {
        let object: JSONObject
        var position = 0

        /// The next member.
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard position < object.keys.count else { return nil }
            defer { position += 1 }
            return (object.keys[position], object.values[position])
        }
    }
}
