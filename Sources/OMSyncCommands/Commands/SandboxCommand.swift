import ArgumentParser
import Logging
import Sandbox

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `omsync sandbox`: a local Unleashed-compatible server (faults included) for imports, tests and demos.
public struct SandboxCommand: AsyncParsableCommand {
    /// Name, abstract and help of `omsync sandbox`.
    public static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local Unleashed-compatible API server (with fault injection) to try rules and imports safely.",
        discussion: """
            Prints `listening on http://HOST:PORT` once ready. Without --api-id/--api-key it makes a pair \
            of sandbox credentials and prints them once. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM. \
            The admin API under /_sandbox/ (loopback only) reads and resets state, changes faults, makes \
            web-app edits and counts calls: see docs/sandbox.md.
            """
    )

    @Option(help: "Interface to bind.") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free port.") var port = 0
    @Option(name: .customLong("api-id"), help: "The API ID clients must send (default: generated).") var apiId: String?
    @Option(name: .customLong("api-key"), help: "The API key signatures use (default: generated).") var apiKey: String?
    @Option(help: "Seed file (YAML or JSON). Default: samples/sandbox-seed.yaml if present, else the built-in seed.") var seed: String?
    @Option(help: "Keep the state in this file across restarts (written atomically).") var state: String?
    @Option(name: .customLong("latency-ms"), help: "Delay added to every API call, in milliseconds.") var latencyMs = 0
    @Option(name: .customLong("latency-jitter-ms"), help: "A random extra delay per call, up to this many milliseconds.") var latencyJitterMs = 0
    @Option(name: .customLong("error-rate"), help: "Probability (0-1) of an injected 500.") var errorRate = 0.0
    @Option(name: .customLong("drop-rate"), help: "Probability of commit-then-drop: the write lands, the connection closes unanswered.") var dropRate = 0.0
    @Option(name: .customLong("throttle-rate"), help: "Probability of a 429 with Retry-After.") var throttleRate = 0.0
    @Option(name: .customLong("reset-rate"), help: "Probability of a connection reset before the call is applied.") var resetRate = 0.0
    @Option(name: .customLong("fault-seed"), help: "Seed of the fault generator: same seed, same call order, same faults.") var faultSeed: UInt64 = 0
    @Option(help: "Monthly call quota; once spent every call gets 429 'API quota exceeded' until the month ends.") var quota: Int?

    public init() {}

    /// Checks the options that belong together (credentials, port, fault rates).
    public func validate() throws {
        if (apiId == nil) != (apiKey == nil) { throw ValidationError("Give both --api-id and --api-key, or neither.") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535.") }
        if let problem = faults.validationProblem() { throw ValidationError(problem) }
    }

    var faults: FaultSettings {
        var faults = FaultSettings()
        faults.latencyMs = latencyMs
        faults.latencyJitterMs = latencyJitterMs
        faults.errorRate = errorRate
        faults.dropRate = dropRate
        faults.throttleRate = throttleRate
        faults.resetRate = resetRate
        faults.seed = faultSeed
        faults.quota = quota
        return faults
    }

    /// Starts the sandbox, prints `listening on http://HOST:PORT`, and serves until SIGINT or SIGTERM.
    public func run() async throws {
        let generated = apiId == nil
        let credentials = apiId.flatMap { id in apiKey.map { SandboxCredentials(apiId: id, apiKey: $0) } }
            ?? SandboxCredentials.generate()
        var configuration = SandboxConfiguration(credentials: credentials)
        configuration.host = host
        configuration.port = port
        configuration.statePath = state
        configuration.faults = faults
        configuration.seed = try Self.loadSeed(seed)
        var logger = Logger(label: "omsync.sandbox") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        configuration.logger = logger
        let server: SandboxServer
        do {
            server = try SandboxServer(configuration: configuration)
        } catch {
            throw ValidationError(error.message)
        }
        if generated {
            print("sandbox credentials (for this sandbox only, not a real Unleashed account):")
            print("  api id:  \(credentials.apiId)")
            print("  api key: \(credentials.apiKey)")
        }
        try await server.run(logger: logger) { host, port in
            let shown = host.contains(":") ? "[\(host)]" : host
            print("listening on http://\(shown):\(port)")
            fflush(nil)
        }
    }

    /// The seed text: `--seed FILE`, else `samples/sandbox-seed.yaml` in the working directory, else built in.
    static func loadSeed(_ path: String?) throws -> (text: String, source: String) {
        let candidate = path ?? "samples/sandbox-seed.yaml"
        let read = Result { () throws(SandboxSetupError) in try StateFile(path: candidate).read(describing: "the seed file") }
        guard case .success(let found) = read, let data = found else {
            guard path != nil else { return (DefaultSeed.yaml, "built-in seed") }
            if case .failure(let error) = read {
                throw ValidationError(error.message)
            }
            throw ValidationError("The seed file \(candidate) does not exist; give a YAML or JSON seed, or leave out --seed for the built-in one.")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ValidationError("The seed file \(candidate) is not UTF-8 text.")
        }
        return (text, candidate)
    }
}
