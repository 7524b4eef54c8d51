import Batch
import NIOHTTP1

/// One request to the API: method, path, query (decoded, in URL order) and body.
struct APICall: Sendable {
    var method: HTTPMethod
    var path: String
    var query: [(name: String, value: String)] = []
    var body: [UInt8]? = nil

    /// The meter's key, e.g. `POST /SalesOrders/{guid}`.
    var endpoint: String { UnleashedEndpoint.template(method: method.rawValue, path: path) }

    /// True for calls that change nothing (an unknown outcome does not matter).
    var isRead: Bool { method == .GET }

    /// The query as sent: each name and value percent-encoded (unreserved characters kept, space as `%20`).
    var encodedQuery: String {
        query.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// The query as signed: decoded, in URL order.
    var signedQuery: String { RequestSigner.signedQuery(query) }

    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 15)])
            }
        }
        return out
    }
}

/// What one attempt produced: an HTTP answer, or a failure with no answer.
enum AttemptOutcome: Sendable {
    /// Unleashed answered.
    case answer(APIAnswer)
    /// No answer: a timeout, reset, drop or connection failure; `outcomeUnknown` when the request may have been applied.
    case noAnswer(reason: String, outcomeUnknown: Bool)
}

/// An HTTP answer: status, raw body, `Retry-After` seconds, `Location`.
struct APIAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var retryAfterSeconds: Int?
    /// The `Location` header (a redirect's target), when there was one.
    var location: String? = nil

    /// The body parsed, when it is JSON.
    var json: JSONValue? { try? JSONValue.parse(body) }

    /// Unleashed's `Description`, when the body has one.
    var unleashedDescription: String? { json?["Description"]?.stringValue }

    /// The body as text (invalid UTF-8 repaired), for error reports.
    var text: String { String(decoding: body, as: UTF8.self) }
}
