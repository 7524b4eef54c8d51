import Batch
import Hummingbird
import NIOCore

/// Answers every request: the admin API under `/_sandbox/`, else an Unleashed call
/// (route → count → authenticate → quota → fault → handler).
public struct SandboxResponder: HTTPResponder {
    /// Requests carry the connection so faults can close it.
    public typealias Context = SandboxRequestContext

    let store: SandboxStore
    let authenticator: Authenticator
    /// Largest request body accepted, in bytes.
    let maxBodyBytes = 16 << 20

    /// The admin API's guard (`LoopbackRequestGuard`, for the host the sandbox was bound to).
    let adminGuard: LoopbackRequestGuard

    /// A responder over `store` that accepts `credentials`, bound to `host` (`--host`).
    public init(store: SandboxStore, credentials: SandboxCredentials, host: String = "127.0.0.1") {
        self.store = store
        self.authenticator = Authenticator(credentials: credentials)
        self.adminGuard = LoopbackRequestGuard(server: "omsync sandbox", boundHost: host)
    }

    /// Handles one request.
    public func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == "/_sandbox" || path.hasPrefix("/_sandbox/") {
            return await AdminAPI(store: store, maxBodyBytes: maxBodyBytes, requestGuard: adminGuard).respond(to: request, context: context)
        }
        let route = APIRoute.parse(method: request.method, path: path)
        let refusal: APIError? = switch route {
        case .failure(let error): error
        case .success: authenticator.check(request, path: path)
        }
        let admission = await store.admit(endpoint: APIRoute.endpointName(method: request.method, path: path), authFailure: refusal,
                                          chargeable: authenticator.namesTheAccount(request))
        let (fault, latencyMs, retryAfter): (FaultKind, Int, Int)
        switch admission {
        case .refuse(let error): return error.response
        case .proceed(let kind, let latency, let seconds): (fault, latencyMs, retryAfter) = (kind, latency, seconds)
        }
        if latencyMs > 0 { try await Task.sleep(for: .milliseconds(latencyMs)) }
        switch fault {
        case .throttle:
            return APIError(.tooManyRequests, "Too many requests: slow down and retry after \(retryAfter) s (injected by the sandbox).",
                            retryAfterSeconds: retryAfter).response
        case .error:
            return APIError(.internalServerError, "An internal error occurred (injected by the sandbox).").response
        case .reset:
            try await ConnectionFault.reset(context.channel)
        case .drop, .none:
            break
        }
        // A route that failed to parse was refused by `admit` above.
        guard case .success(let apiRoute) = route else { return APIError(.notFound, "Not found.").response }
        var request = request
        let response: Response
        do {
            response = try await handle(apiRoute, request: &request)
        } catch let error as APIError {
            response = error.response
        }
        // A change is acknowledged only once it is in the state file, as Unleashed's are durable.
        if apiRoute.changesRecords { await store.durable() }
        if fault == .drop { try await ConnectionFault.drop(context.channel) }
        return response
    }

    private func handle(_ route: APIRoute, request: inout Request) async throws -> Response {
        switch route {
        case .list(let resource, let page):
            let query = try ListQuery(page: page, parameters: QueryString.parameters(request.uri.query ?? ""))
            let (pagination, items) = await store.list(resource, query)
            return Self.envelope(pagination: pagination, items: items)
        case .get(let resource, let guid):
            return SandboxResponse.bytes(try await store.getJSON(resource, guid: guid))
        case .createOrder(let guid):
            let body = try await Self.bodyObject(&request, limit: maxBodyBytes, requireJSONContentType: true)
            return SandboxResponse.json(.object(try await store.createOrder(guid: guid, body: body)), status: .created)
        case .updateOrder(let guid):
            let body = try await Self.bodyObject(&request, limit: maxBodyBytes, requireJSONContentType: true)
            return SandboxResponse.json(.object(try await store.updateOrder(guid: guid, body: body)))
        case .deleteOrder(let guid):
            return SandboxResponse.json(.object(try await store.deleteOrder(guid: guid)))
        case .completeOrder(let guid):
            return SandboxResponse.json(.object(try await store.completeOrder(guid: guid)))
        case .upsert(let resource, let guid):
            let body = try await Self.bodyObject(&request, limit: maxBodyBytes, requireJSONContentType: true)
            // 201 for an update too: the recordings show no successful POST answered otherwise.
            return SandboxResponse.json(.object(try await store.upsertMaster(resource, guid: guid, body: body)), status: .created)
        }
    }

    /// `{"Pagination":{…},"Items":[…]}`, written straight into one buffer.
    static func envelope(pagination: JSONObject, items: [[UInt8]]) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("Pagination")
        writer.write(.object(pagination))
        writer.key("Items")
        writer.beginArray()
        for item in items { writer.raw(item) }
        writer.endArray()
        writer.endObject()
        return SandboxResponse.bytes(writer.bytes)
    }

    /// The request body as a JSON object: unparsable is a 500 (as Unleashed answers), not an object a 400.
    /// A body that is not UTF-8 names the first bad byte and its offset.
    ///
    /// With `requireJSONContentType`, a body not sent as `Content-Type: application/json` is a 415 (assumed, as
    /// Unleashed's API expects the header).
    static func bodyObject(_ request: inout Request, limit: Int, requireJSONContentType: Bool = false) async throws -> JSONObject {
        if requireJSONContentType, !(request.headers[.contentType]?.lowercased().hasPrefix("application/json") ?? false) {
            throw APIError(.unsupportedMediaType, "Send the body as JSON with the header Content-Type: application/json.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "The request body is larger than \(limit) bytes.")
        }
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { throw APIError.invalid("The request body is empty: send the object as JSON.") }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            // The JSON parser stops at the first byte it cannot use; when the body is not UTF-8 at
            // all, the byte that breaks UTF-8 is what to name (checked only here, off the hot path).
            if let problem = UTF8Check.firstProblem(bytes) {
                throw APIError(.internalServerError, "The request body could not be parsed as JSON: it is not valid UTF-8: \(problem).")
            }
            throw APIError(.internalServerError, "The request body could not be parsed as JSON: \(error).")
        }
        guard let object = value.objectValue else { throw APIError.invalid("The request body must be a JSON object.") }
        return object
    }
}
