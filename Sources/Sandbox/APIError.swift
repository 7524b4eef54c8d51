import Batch
import Hummingbird

/// A refused API call: the status and the `Description` Unleashed would send.
public struct APIError: Error, Sendable, Equatable {
    /// The HTTP status (400, 403, 404, 405, 429, 500).
    public var status: HTTPResponse.Status
    /// The `Description` of the error body.
    public var description: String
    /// Seconds sent in `Retry-After` (throttling and the quota).
    public var retryAfterSeconds: Int?

    /// An error with a status and a Description.
    public init(_ status: HTTPResponse.Status, _ description: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.description = description
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A 400 validation failure.
    static func invalid(_ description: String) -> APIError { APIError(.badRequest, description) }

    /// The Unleashed error body: `{"Description": …, "DebugInformation": null}`.
    var body: JSONValue {
        .object(JSONObject([("Description", .string(description)), ("DebugInformation", .null)]))
    }

    /// The HTTP response for this error.
    var response: Response {
        var headers = HTTPFields()
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return SandboxResponse.json(body, status: status, headers: headers)
    }
}
