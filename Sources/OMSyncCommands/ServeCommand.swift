import ArgumentParser
import Batch
import Foundation
import Logging
import Serve
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `omsync serve`: the rule editor in the browser, with live preview and explanations.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Edit the rules in the browser and watch the mapped sales orders change as you type.",
        discussion: """
            Prints `listening on http://HOST:PORT` once ready: open that address. The page edits the \
            rule files and settings of --rules with the real checker's diagnostics, previews the \
            --batch orders through the real pipeline (each field says where it came from), and saves \
            a file only when the whole rule set checks clean. With a ledger it also shows the \
            integration log and the customer mapping. It binds to loopback unless --host says \
            otherwise, and every API request needs the run's token (the page has it). Stops on Ctrl-C. \
            See docs/serve.md.
            """)

    @Option(help: "Interface to bind (loopback by default: the page can write rule files).") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free port.") var port = 0
    @Option(name: .long, help: ArgumentHelp("Directory of rule files the page edits.", valueName: "dir")) var rules = "rules"
    @Option(name: .long, help: ArgumentHelp("Settings file applied after the folder's own; repeatable.", valueName: "file")) var settings: [String] = []
    @Option(name: .customLong("set"), help: ArgumentHelp("Override one setting; repeatable.", valueName: "key=value")) var overrides: [String] = []
    @Option(name: .customLong("batch"), help: ArgumentHelp("A sample batch to preview; repeatable (default samples/orders-envelope.json).", valueName: "file"))
    var batches: [String] = []
    @Option(help: ArgumentHelp("The ledger, for the log, the customer mapping and the ledger's facts (used when it exists).", valueName: "path"))
    var ledger = ".omsync/ledger.sqlite"

    public init() {}

    public func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535, not \(port)") }
        var info = stat()
        guard stat(rules, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ValidationError("--rules \(rules) is not a directory: give the folder that holds the rule files")
        }
        for file in settings where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("--settings \(file) cannot be read: give an existing settings file (YAML `name: value` lines)")
        }
    }

    public func run() async throws {
        var configuration = ServeConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.rules = rules
        configuration.settingsFiles = settings
        configuration.overrides = overrides
        if !batches.isEmpty { configuration.batches = batches }
        configuration.ledger = ledger
        var logger = Logger(label: "omsync.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        configuration.logger = logger
        let server: ServeServer
        do {
            server = try ServeServer(configuration: configuration)
        } catch {
            StandardError.line("omsync serve: \(error.message)")
            throw ExitCode(.usage)
        }
        if !HostPolicy.isLoopback(host) {
            StandardError.line("omsync serve: warning: --host \(host) is not a loopback address; anyone who can reach it and has the page can edit the rules")
        }
        try await server.run { host, port in
            let shown = host.contains(":") ? "[\(host)]" : host
            print("listening on http://\(shown):\(port)")
            fflush(nil)
        }
    }
}
