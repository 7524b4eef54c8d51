import Batch
import HTTPTypes
import Hummingbird
import NIOCore

/// The request context of `omsync serve`: Hummingbird's storage plus the address the connection
/// arrived on, which the request guard compares the `Host` and `Origin` with.
public struct ServeRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The local address of the connection (nil without a socket: in-process tests).
    public let localAddress: SocketAddress?

    /// Made by Hummingbird for each request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.localAddress = source.channel.localAddress
    }
}

/// The page's protection, in front of every route: the page can write rule files, so nothing
/// but the page itself, served by this process, may drive it.
///
/// - **Host, Origin, Sec-Fetch-Site, Content-Type**: `LoopbackRequestGuard`, the rule the
///   sandbox's admin API shares (a loopback `Host` on the port served; an `Origin` that is a page
///   of this server, `http://localhost:PORT` or `http://127.0.0.1:PORT`; no cross-site mark on an
///   `/api/` call or a write; writes as `application/json`).
/// - **Token**: every `/api/` request carries the per-run token in `X-OMSync-Token`; the page
///   has it in a meta tag, which another origin cannot read.
/// - **Body**: a POST declares at most `maxBodyBytes` (the handlers also stop reading there).
struct RequestGuard: RouterMiddleware {
    typealias Context = ServeRequestContext
    let configuration: ServeConfiguration

    static var tokenHeader: HTTPField.Name { HTTPField.Name("X-OMSync-Token")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let api = request.uri.path.hasPrefix("/api/")
        let shared = LoopbackRequestGuard(server: "omsync serve", boundHost: configuration.host)
        if let refusal = shared.check(.init(
            method: request.method.rawValue, host: request.headers[HTTPField.Name("Host")!] ?? request.head.authority,
            origin: request.headers[.origin], fetchSite: request.headers[HTTPField.Name("Sec-Fetch-Site")!],
            contentType: request.headers[.contentType], localAddress: context.localAddress?.ipAddress,
            localPort: context.localAddress?.port, guarded: api || request.method != .get)) {
            return ServeResponse.error(HTTPResponse.Status(code: refusal.status), refusal.message)
        }
        guard api else { return try await next(request, context) }
        guard let token = request.headers[Self.tokenHeader] else {
            return ServeResponse.error(.unauthorized, "missing X-OMSync-Token: reload the page `omsync serve` printed")
        }
        guard ServeResponse.constantTimeEqual(token, configuration.token) else {
            return ServeResponse.error(.unauthorized, "wrong X-OMSync-Token (a server started again has a new one): reload the page")
        }
        if request.method == .post, let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
            return ServeResponse.tooLarge(configuration.maxBodyBytes)
        }
        return try await next(request, context)
    }
}
