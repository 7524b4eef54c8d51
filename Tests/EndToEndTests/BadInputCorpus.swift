import Batch
import Foundation
import TestSupport

/// One hostile or careless input and the command a user would run on it (in a scratch folder
/// holding a copy of the shipped `rules/`, so paths in messages are the ones a user sees).
struct BadInputCase: Sendable, CustomStringConvertible {
    /// The golden file's name (`Tests/EndToEndTests/BadInput/<name>.txt`).
    var name: String
    /// Files written into the scratch folder (over the copy of `rules/`): path → bytes. A path
    /// ending in `/` makes a folder.
    var files: [String: [UInt8]]
    /// `omsync` and its arguments.
    var arguments: [String]
    /// The exit status docs and README promise for it.
    var status: Int32
    /// Text that must be in what the user sees (the what, the where, the what-to-do).
    var mustSay: [String]

    var description: String { name }
}

/// The bad-input corpus (issue 11, docs/reliability.md): batches, rules and settings. Every case
/// runs the built binary; what it printed is a golden file. Each is also checked for its exit
/// status, for what it must say, for no crash, and (batches) for the good orders around the bad
/// one being planned as usual.
enum BadInputCorpus {
    // MARK: Building batches

    /// The first order of `samples/orders-envelope.json` (a valid one), as a template.
    static let template: JSONObject = {
        let bytes = (try? Array(Data(contentsOf: Project.url("samples/orders-envelope.json")))) ?? []
        return (try? JSONValue.parse(bytes))?["data"]?[0]?.objectValue ?? JSONObject()
    }()

    /// A valid order numbered `OMGOOD<n>`.
    static func good(_ n: Int) -> JSONValue {
        var order = template
        order["id"] = .string(String(format: "90000000-0000-4000-8000-%012d", n))
        order["orderNumber"] = .string("OMGOOD\(n)")
        order["number"] = .string("OMGOOD\(n)")
        return .object(order)
    }

    /// The template changed by `edit`, numbered `OMBAD1`.
    static func bad(_ edit: (inout JSONObject) -> Void) -> JSONValue {
        var order = template
        order["id"] = .string("90000000-0000-4000-8000-0000000000bd")
        order["orderNumber"] = .string("OMBAD1")
        order["number"] = .string("OMBAD1")
        edit(&order)
        return .object(order)
    }

    /// The first line item changed by `edit`.
    static func badLine(_ edit: @escaping (inout JSONObject) -> Void) -> JSONValue {
        bad { order in
            guard case .array(var lines)? = order["lineItems"], case .object(var line)? = lines.first else { return }
            edit(&line)
            lines[0] = .object(line)
            order["lineItems"] = .array(lines)
        }
    }

    /// An envelope `{"meta","data":[good 1, orders…, good 2]}` as bytes.
    static func envelope(_ orders: [JSONValue]) -> [UInt8] {
        let data = JSONValue.array([good(1)] + orders + [good(2)])
        return Array(#"{"meta":{"totalResults":\#(orders.count + 2)},"data":"#.utf8) + Array(data.serialized().utf8) + Array("}\n".utf8)
    }

    /// An envelope with the raw `json` text as the middle order.
    static func envelope(raw json: String) -> [UInt8] {
        Array(#"{"meta":{},"data":[\#(good(1).serialized()),\#(json),\#(good(2).serialized())]}"#.utf8) + [0x0A]
    }

    static func previewCase(_ name: String, _ bytes: [UInt8], status: Int32 = 1, mustSay: [String]) -> BadInputCase {
        BadInputCase(name: "batch-" + name, files: ["batch.json": bytes], arguments: ["preview", "batch.json"],
                     status: status, mustSay: mustSay)
    }

    // MARK: Building rules and settings

    /// The shipped `rules/omsync.yaml` with `old` replaced by `new` (the text must be there).
    static func editedRules(_ old: String, _ new: String) -> [UInt8] {
        let text = (try? String(contentsOf: Project.url("rules/omsync.yaml"), encoding: .utf8)) ?? ""
        precondition(text.contains(old), "rules/omsync.yaml no longer holds \(old)")
        return Array(text.replacingOccurrences(of: old, with: new).utf8)
    }

    static func rulesCase(_ name: String, _ files: [String: [UInt8]], status: Int32 = 1, mustSay: [String]) -> BadInputCase {
        BadInputCase(name: "rules-" + name, files: files, arguments: ["check"], status: status, mustSay: mustSay)
    }

    static func settingsCase(_ name: String, _ yaml: String, status: Int32 = 1, mustSay: [String]) -> BadInputCase {
        BadInputCase(name: "settings-" + name, files: ["rules/settings.yaml": Array(yaml.utf8)], arguments: ["check"],
                     status: status, mustSay: mustSay)
    }

    /// The shipped settings file with the line of `key` replaced by `key: value`.
    static func settings(_ key: String, _ value: String) -> String {
        let text = (try? String(contentsOf: Project.url("rules/settings.yaml"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("\(key):") ? "\(key): \(value)" : String($0) }.joined(separator: "\n")
    }
}
