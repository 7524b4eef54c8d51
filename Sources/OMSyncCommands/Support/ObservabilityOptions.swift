import ArgumentParser
import Batch
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Synchronization

/// `--log-format`, `--metrics-file`, `--metrics-port`: what an operator's log collector and
/// Prometheus read from a run.
struct ObservabilityOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "text: the progress line for people; json: one JSON object a line on standard error (every order, the lock, the run).")
    var logFormat: LogFormat = .text

    @Option(name: .customLong("metrics-file"), help: ArgumentHelp("Write the run's metrics (Prometheus text format) to this file at the end, atomically (e.g. for node_exporter's textfile collector).", valueName: "file"))
    var metricsFile: String?

    @Option(name: .customLong("metrics-port"), help: ArgumentHelp("Serve the metrics at http://HOST:PORT/metrics while the run lasts (0: a free port, printed).", valueName: "port"))
    var metricsPort: Int?

    @Option(name: .customLong("metrics-host"), help: ArgumentHelp("The address --metrics-port listens on (0.0.0.0 in a container).", valueName: "host"))
    var metricsHost = "127.0.0.1"

    func validate() throws {
        if let metricsPort, !(0...65535).contains(metricsPort) { throw ValidationError("--metrics-port must be 0...65535") }
    }

    /// Refuses (exit 2) a `--metrics-file` that is one of `inputs` (a batch, the ledger, its
    /// write-ahead log or shared memory): writing the metrics there would replace it. Compared as
    /// the same file (device and inode) and, for files not there yet, as the same path.
    func refuseOverwriting(_ inputs: [String], command: String) throws {
        guard let metricsFile else { return }
        let path = URL(fileURLWithPath: metricsFile).standardizedFileURL.path
        let same = PreviewRun.sameFile(metricsFile, asOneOf: inputs)
            ?? inputs.first { URL(fileURLWithPath: $0).standardizedFileURL.path == path }
        if let same {
            StandardError.line("omsync \(command): --metrics-file \(metricsFile) is \(same), which this run reads: the metrics would replace it. "
                + "Give another file (e.g. omsync.prom beside the ledger)")
            throw ExitCode(.usage)
        }
        // Written at the end through a temporary file beside it: its folder must take it, known now rather than after the run.
        let folder = URL(fileURLWithPath: metricsFile).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue || access(folder, W_OK) != 0 {
            StandardError.line("omsync \(command): --metrics-file \(metricsFile) cannot be written: \(folder) is not a folder this process may write in. "
                + "Give a file in a writable folder")
            throw ExitCode(.usage)
        }
    }

    /// The log and metrics of one process, once set up.
    final class Session: Sendable {
        let registry: PrometheusCollectorRegistry
        let logger: Logger
        let server: Task<Void, Never>?
        let metricsFile: String?

        init(registry: PrometheusCollectorRegistry, logger: Logger, server: Task<Void, Never>?, metricsFile: String?) {
            self.registry = registry
            self.logger = logger
            self.server = server
            self.metricsFile = metricsFile
        }

        /// Writes the metrics file (temporary file + rename) and stops the metrics server.
        func finish() {
            server?.cancel()
            guard let metricsFile else { return }
            let temporary = metricsFile + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
            do {
                try Data(registry.emitToBuffer()).write(to: URL(fileURLWithPath: temporary))
                guard rename(temporary, metricsFile) == 0 else { throw CocoaError(.fileWriteUnknown) }
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                StandardError.line("omsync: cannot write the metrics file \(metricsFile): \(error.localizedDescription)")
            }
        }
    }

    /// Sets up logging (JSON lines when asked) and the metrics backend; starts the metrics
    /// server when asked. Once per process.
    func start(command: String) async throws -> Session {
        let json = logFormat == .json
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label) }
            // Text: people read the progress line and the summary; the events are for collectors.
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .critical
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "omsync.\(command)")
        var server: Task<Void, Never>?
        if let metricsPort {
            let router = Router()
            router.get("metrics") { _, _ in registry.emitToString() }
            let host = metricsHost
            let ready = AsyncStream<Int>.makeStream()
            let failure = Mutex<String?>(nil)
            let app = Application(router: router, configuration: ApplicationConfiguration(address: .hostname(host, port: metricsPort), serverName: "omsync-metrics"),
                                  onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) },
                                  logger: Logger(label: "omsync.metrics") { _ in SwiftLogNoOpLogHandler() })
            server = Task {
                do { try await app.runService(gracefulShutdownSignals: []) } catch {
                    failure.withLock { $0 = "\(error)" }
                    logger.error("the metrics server stopped: \(error)")
                }
                ready.continuation.finish()
            }
            var listening = false
            for await port in ready.stream {
                listening = true
                StandardError.line("omsync \(command): metrics on http://\(host):\(port)/metrics")
                if !HostPolicy.isLoopback(host) {
                    StandardError.line("omsync \(command): note: --metrics-host \(host) is not a loopback address; anyone who can reach it can read the metrics (account names, counts)")
                }
                break
            }
            if !listening {
                // Nothing runs without the metrics an operator asked for (a port in use, an address not of this machine).
                let why = failure.withLock { $0 } ?? "the server did not start"
                StandardError.line("omsync \(command): cannot serve the metrics on \(host):\(metricsPort): \(why). "
                    + "Choose another --metrics-port (0: a free one) or a --metrics-host of this machine")
                throw ExitCode(.usage)
            }
        }
        return Session(registry: registry, logger: logger, server: server, metricsFile: metricsFile)
    }
}

/// `--log-format`.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
