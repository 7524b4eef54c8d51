import Batch

/// The `generate:` section of a seed: many similar records from one template, e.g. the 2,000
/// customers and 800 products a benchmark batch refers to.
///
/// ```yaml
/// generate:
///   - { collection: customers, start: 0, count: 2000,
///       fields: { CustomerCode: "CUST{n:05}", CustomerName: "Venue {n} Pty Ltd", Email: "orders{n}@venue.example" } }
/// ```
/// In every string of `fields` (nested ones too), `{n}` becomes the record's number and `{n:05}`
/// the number padded with zeros to 5 digits (widths up to 20). `start` defaults to 1.
enum SeedGenerator {
    /// The most records one entry may make.
    static let maxCount = 200_000
    /// The largest `start` (in size): far beyond any code width, and `start + count` cannot overflow.
    static let maxStart = 1_000_000_000_000

    /// The generated records per collection, in the order of the entries.
    static func expand(_ value: JSONValue, source: String) throws(SandboxSetupError) -> [Resource: [JSONValue]] {
        guard let entries = value.arrayValue else { throw SandboxSetupError("\(source): generate must be a list") }
        var generated: [Resource: [JSONValue]] = [:]
        for (index, entry) in entries.enumerated() {
            let place = "\(source): generate[\(index)]"
            guard let name = entry["collection"]?.stringValue,
                  let resource = Resource.allCases.first(where: { $0.seedKey == name }) else {
                throw SandboxSetupError("\(place): collection must be one of \(Resource.allCases.map(\.seedKey).joined(separator: ", "))")
            }
            guard let count = entry["count"]?.numberValue?.int, (0...maxCount).contains(count) else {
                throw SandboxSetupError("\(place): count must be a whole number from 0 to \(maxCount)")
            }
            let start = entry["start"]?.numberValue?.int ?? 1
            guard (-maxStart...maxStart).contains(start) else {
                throw SandboxSetupError("\(place): start must be a whole number from -\(maxStart) to \(maxStart)")
            }
            guard let fields = entry["fields"]?.objectValue else {
                throw SandboxSetupError("\(place): fields must be a mapping of the record's fields")
            }
            for key in entry.objectValue?.keys ?? [] where !["collection", "count", "start", "fields"].contains(key) {
                throw SandboxSetupError("\(place): unknown key '\(key)'; use collection, count, start, fields")
            }
            for n in start..<(start + count) {
                generated[resource, default: []].append(fill(.object(fields), n))
            }
        }
        return generated
    }

    /// `template` with `{n}` / `{n:0W}` replaced in every string.
    static func fill(_ template: JSONValue, _ n: Int) -> JSONValue {
        switch template {
        case .string(let text): .string(substitute(text, n))
        case .array(let items): .array(items.map { fill($0, n) })
        case .object(let object): .object(JSONObject(object.map { ($0.key, fill($0.value, n)) }))
        default: template
        }
    }

    private static func substitute(_ text: String, _ n: Int) -> String {
        guard text.contains("{n") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{n") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            if after.first == "}" {
                out += String(n)
                rest = after.dropFirst()
            } else if after.first == ":", let close = after.firstIndex(of: "}"),
                      let width = Int(after[after.index(after: after.startIndex)..<close]), (0...20).contains(width) {
                let digits = String(n)
                out += String(repeating: "0", count: max(0, width - digits.count)) + digits
                rest = after[after.index(after: close)...]
            } else {
                out += "{n"
                rest = after
            }
        }
        return out + rest
    }
}
