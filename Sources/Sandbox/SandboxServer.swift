import Batch
import Hummingbird
import Logging
import NIOCore

/// The sandbox: a store loaded from the state file or the seed, served by Hummingbird.
public struct SandboxServer: Sendable {
    /// The account behind the API (also reachable for tests).
    public let store: SandboxStore
    /// The configuration it was made from.
    public let configuration: SandboxConfiguration

    /// Loads the state file when it exists, else the seed; fails with a message on a bad seed, state or option.
    public init(configuration: SandboxConfiguration) throws(SandboxSetupError) {
        if let problem = configuration.faults.validationProblem() { throw SandboxSetupError(problem) }
        self.configuration = configuration
        let now = configuration.clock()
        let seedValue = try SeedLoader.parse(configuration.seed.text, source: configuration.seed.source)
        let seedState = try SeedLoader.state(from: seedValue, source: configuration.seed.source, nowMs: now, user: configuration.apiUser)
        var initial = seedState
        let stateFile = configuration.statePath.map(StateFile.init(path:))
        if let stateFile, let bytes = try stateFile.read() {
            let document: JSONValue
            do { document = try JSONValue.parse(bytes) } catch {
                throw SandboxSetupError("the state file \(stateFile.path) is not valid JSON: \(error)")
            }
            initial = try SandboxState.load(document: document)
        }
        self.store = SandboxStore(initial: initial, seed: seedState, faults: configuration.faults,
                                  apiUser: configuration.apiUser, stateFile: stateFile,
                                  logger: configuration.logger, clock: configuration.clock)
    }

    /// The responder that answers every request.
    public var responder: SandboxResponder {
        SandboxResponder(store: store, credentials: configuration.credentials, host: configuration.host)
    }

    /// A Hummingbird application bound to the configured host and port; `onReady` gets the address actually bound.
    public func application(
        logger: Logger = Logger(label: "omsync.sandbox"),
        onReady: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) -> some ApplicationProtocol {
        let host = configuration.host
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port), serverName: "omsync-sandbox"),
            onServerRunning: { channel in
                await onReady(host, channel.localAddress?.port ?? 0)
            },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM, then writes any pending state.
    public func run(logger: Logger = Logger(label: "omsync.sandbox"),
                    onReady: @escaping @Sendable (_ host: String, _ port: Int) async -> Void) async throws {
        do {
            try await application(logger: logger, onReady: onReady).runService()
        } catch {
            await store.flush()
            throw error
        }
        await store.flush()
    }
}
