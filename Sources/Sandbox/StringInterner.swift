/// Lower-cased strings numbered in order of first appearance, so list scans compare integers.
struct StringInterner: Sendable {
    private(set) var strings: [String] = []
    private var numbers: [String: Int32] = [:]

    /// The number of `text` (lower-cased), adding it when new.
    mutating func intern(_ text: String) -> Int32 {
        let key = text.lowercased()
        if let number = numbers[key] { return number }
        let number = Int32(strings.count)
        strings.append(key)
        numbers[key] = number
        return number
    }

    /// The number of `text` (lower-cased), or nil when it was never interned.
    func number(_ text: String) -> Int32? {
        numbers[text.lowercased()]
    }

    /// One flag per interned string: true where `test` holds for the string.
    func flags(where test: (String) -> Bool) -> [Bool] {
        strings.map(test)
    }
}
