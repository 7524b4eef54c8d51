import Batch
import Hummingbird
import Logging
import NIOCore
import Rules

/// `omsync serve`: the rule editor's page and its JSON API on Hummingbird (docs/serve.md).
public struct ServeServer: Sendable {
    public let configuration: ServeConfiguration
    public let engine: PreviewEngine
    public let state: ServeState

    /// Reads the sample batches (a batch that cannot be opened is an error naming it).
    public init(configuration: ServeConfiguration) throws(BatchProblem) {
        self.configuration = configuration
        let workspace = RuleWorkspace(directory: configuration.rules)
        engine = PreviewEngine(workspace: workspace, settingsFiles: configuration.settingsFiles, overrides: configuration.overrides)
        state = ServeState(samples: try SampleSet(paths: configuration.batches), ledger: configuration.ledger)
    }

    /// Every route, behind the request guard.
    public func router() -> Router<ServeRequestContext> {
        let router = Router(context: ServeRequestContext.self)
        router.add(middleware: RequestGuard(configuration: configuration))
        let token = configuration.token
        router.get("/") { _, _ in ServeResponse.asset(ServePage.html(token: token), type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in ServeResponse.asset(ServePage.script, type: "text/javascript; charset=utf-8") }
        router.get("/app.css") { _, _ in ServeResponse.asset(ServePage.style, type: "text/css; charset=utf-8") }
        let api = ServeAPI(server: self)
        router.get("/api/state") { _, _ in await api.workspaceState() }
        router.post("/api/check") { request, _ in await api.handle(request) { try api.check($0) } }
        router.post("/api/preview") { request, _ in await api.handle(request) { try await api.preview($0) } }
        router.post("/api/explain") { request, _ in await api.handle(request) { try await api.preview($0, list: false) } }
        router.post("/api/save") { request, _ in await api.handle(request) { try api.save($0) } }
        router.post("/api/samples") { request, _ in await api.handle(request) { try await api.addSample($0) } }
        router.get("/api/log") { request, _ in await api.log(request.uri.queryParameters) }
        router.get("/api/customers") { _, _ in await api.customers() }
        router.post("/api/customers") { request, _ in await api.handle(request) { try await api.setCustomer($0) } }
        return router
    }

    /// The application bound to the configured address; `onReady` gets the port actually bound.
    public func application(onReady: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }) -> some ApplicationProtocol {
        let host = configuration.host
        return Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port), serverName: "omsync-serve"),
            onServerRunning: { channel in await onReady(host, channel.localAddress?.port ?? 0) },
            logger: configuration.logger)
    }

    /// Serves until SIGINT or SIGTERM.
    public func run(onReady: @escaping @Sendable (_ host: String, _ port: Int) async -> Void) async throws {
        try await application(onReady: onReady).runService()
    }
}
