import Batch
import HTTPTypes
import Hummingbird
import NIOCore

/// The page's protection, in front of every route: the page can write rule files, so nothing
/// but the page itself, served by this process, may drive it.
///
/// - **Host**: the request's host must be the one served (`localhost`, a loopback address, or
///   `--host`), which defeats DNS rebinding (a foreign name resolving to 127.0.0.1).
/// - **Origin**: a request carrying `Origin` (every browser POST does) must come from the page's
///   own origin, and a browser's `Sec-Fetch-Site` must be `same-origin` (or `none`).
/// - **Token**: every `/api/` request carries the per-run token in `X-OMSync-Token`; the page
///   has it in a meta tag, which another origin cannot read.
/// - **Body**: a POST must be `application/json`, at most `maxBodyBytes`.
struct RequestGuard<Context: RequestContext>: RouterMiddleware {
    let configuration: ServeConfiguration

    static var tokenHeader: HTTPField.Name { HTTPField.Name("X-OMSync-Token")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.headers[HTTPField.Name("Host")!] ?? request.head.authority ?? ""
        guard allowedHost(authority) else {
            return ServeResponse.error(.misdirectedRequest, "the host '\(authority)' is not this server's: open the address `omsync serve` printed")
        }
        if let origin = request.headers[.origin], origin != "http://\(authority)" {
            return ServeResponse.error(.forbidden, "requests from another origin (\(origin)) are refused")
        }
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" {
            if request.uri.path.hasPrefix("/api/") || request.method != .get {
                return ServeResponse.error(.forbidden, "cross-site requests (Sec-Fetch-Site: \(site)) are refused")
            }
        }
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        guard let token = request.headers[Self.tokenHeader] else {
            return ServeResponse.error(.unauthorized, "missing X-OMSync-Token: reload the page `omsync serve` printed")
        }
        guard ServeResponse.constantTimeEqual(token, configuration.token) else {
            return ServeResponse.error(.unauthorized, "wrong X-OMSync-Token (a server started again has a new one): reload the page")
        }
        if request.method == .post {
            let type = request.headers[.contentType] ?? ""
            guard type.hasPrefix("application/json") else {
                return ServeResponse.error(.unsupportedMediaType, "send JSON (Content-Type: application/json), not '\(type)'")
            }
            if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
                return ServeResponse.tooLarge(configuration.maxBodyBytes)
            }
        }
        return try await next(request, context)
    }

    /// `localhost`, a loopback address or the configured host, with any port.
    func allowedHost(_ authority: String) -> Bool {
        var host = Substring(authority)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            host = host[...close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        let name = host.lowercased()
        return HostPolicy.isLoopback(name) || name == configuration.host.lowercased()
            || "[\(configuration.host.lowercased())]" == name
    }
}
