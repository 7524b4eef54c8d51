import Batch
import HTTPTypes
import Hummingbird
import NIOCore

/// The admin API under `/_sandbox/`: loopback clients only, no Unleashed signature, never counted or faulted.
///
/// Being reachable from this machine is not enough: a web page in the user's browser is on this
/// machine too. Every admin call passes `LoopbackRequestGuard` (the rule `omsync serve` uses): a
/// `Host` that is this machine on the port served (no DNS rebinding), no foreign `Origin` and no
/// cross-site `Sec-Fetch-Site` (no other site's form or script), writes sent as
/// `application/json` (no HTML form post). The Unleashed routes are not guarded so: they are
/// signed, and their callers send no `Origin`.
///
/// | call | does |
/// |---|---|
/// | `GET /_sandbox/state` | the whole state document |
/// | `POST /_sandbox/reset` | back to the seed (records, order numbers, call counts) |
/// | `GET` / `PUT /_sandbox/faults` | read / change the fault settings (keys sent are changed) |
/// | `POST /_sandbox/edit/{Resource}/{guid}` | a web-app edit: `{"set":{…},"by":"web.user@example.com"}` |
/// | `GET /_sandbox/calls` | call counts per endpoint and quota use |
struct AdminAPI {
    let store: SandboxStore
    let maxBodyBytes: Int
    /// Host, Origin, Sec-Fetch-Site and Content-Type, as `omsync serve` checks them.
    let requestGuard: LoopbackRequestGuard

    /// Who a web-app edit is attributed to when the body names no one.
    static let defaultWebUser = "web.user@example.com"

    func respond(to request: Request, context: SandboxRequestContext) async -> Response {
        guard context.isLoopback else {
            return APIError(.forbidden, "The sandbox admin API answers loopback clients only.").response
        }
        let local = context.channel.localAddress
        if let refusal = requestGuard.check(.init(
            method: request.method.rawValue, host: request.headers[HTTPField.Name("Host")!] ?? request.head.authority,
            origin: request.headers[.origin], fetchSite: request.headers[HTTPField.Name("Sec-Fetch-Site")!],
            contentType: request.headers[.contentType], localAddress: local?.ipAddress, localPort: local?.port, guarded: true)) {
            return APIError(HTTPResponse.Status(code: refusal.status), "The sandbox admin API refused the request: \(refusal.message).").response
        }
        var request = request
        do {
            return try await route(&request)
        } catch let error as APIError {
            return error.response
        } catch {
            return APIError(.internalServerError, "\(error)").response
        }
    }

    private func route(_ request: inout Request) async throws -> Response {
        let segments = request.uri.path.split(separator: "/").dropFirst().map(String.init)
        switch (request.method, segments.first ?? "", segments.count) {
        case (.get, "state", 1):
            return SandboxResponse.bytes(await store.stateDocument())
        case (.post, "reset", 1):
            await store.reset()
            return SandboxResponse.json(.object(JSONObject([("reset", .bool(true))])))
        case (.get, "faults", 1):
            return SandboxResponse.json(Self.document(await store.faultSettings()))
        case (.put, "faults", 1):
            let patch = try await SandboxResponder.bodyObject(&request, limit: maxBodyBytes)
            return SandboxResponse.json(Self.document(try await store.updateFaults(patch)))
        case (.get, "calls", 1):
            return SandboxResponse.json(await store.callsDocument())
        case (.post, "edit", 3):
            guard let resource = Resource.named(segments[1]) else {
                throw APIError(.notFound, "Unknown collection '\(segments[1])'.")
            }
            let body = try await SandboxResponder.bodyObject(&request, limit: maxBodyBytes)
            guard let set = body["set"]?.objectValue else {
                throw APIError.invalid("The body needs \"set\": an object of the fields to change.")
            }
            let user = body["by"]?.stringValue ?? Self.defaultWebUser
            let record = try await store.webEdit(resource, guid: segments[2], set: set, by: user)
            return SandboxResponse.json(.object(record))
        default:
            throw APIError(.notFound, "Unknown admin call \(request.method.rawValue) \(request.uri.path): see docs/sandbox.md.")
        }
    }

    /// The fault settings as JSON (the same keys `PUT /_sandbox/faults` takes).
    static func document(_ settings: FaultSettings) -> JSONValue {
        func rate(_ value: Double) -> JSONValue {
            .number(JSONNumber(text: String(value)) ?? JSONNumber(0))
        }
        return .object(JSONObject([
            ("latencyMs", .number(JSONNumber(settings.latencyMs))),
            ("latencyJitterMs", .number(JSONNumber(settings.latencyJitterMs))),
            ("errorRate", rate(settings.errorRate)),
            ("dropRate", rate(settings.dropRate)),
            ("throttleRate", rate(settings.throttleRate)),
            ("resetRate", rate(settings.resetRate)),
            ("retryAfterSeconds", .number(JSONNumber(settings.retryAfterSeconds))),
            ("seed", .number(JSONNumber(text: String(settings.seed)) ?? JSONNumber(0))),
            ("quota", settings.quota.map { .number(JSONNumber($0)) } ?? .null),
            ("next", .array(settings.scripted.map { .string($0.rawValue) })),
        ]))
    }
}
