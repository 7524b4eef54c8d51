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
    @OptionGroup var rulesOptions: RulesOptions
    @Option(name: .customLong("batch"), help: ArgumentHelp("A sample batch to preview; repeatable (default samples/orders-envelope.json).", valueName: "file"))
    var batches: [String] = []
    @OptionGroup var accountOptions: AccountOptions
    @OptionGroup var ledgerOptions: LedgerOptions

    public init() {}

    public func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535, not \(port)") }
        var info = stat()
        guard stat(rulesOptions.rules, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ValidationError("--rules \(rulesOptions.rules) is not a directory: give the folder that holds the rule files")
        }
        for file in rulesOptions.settings where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("--settings \(file) cannot be read: give an existing settings file (YAML `name: value` lines)")
        }
    }

    public func run() async throws {
        // The account's rules, settings and ledger, resolved as every other command resolves them.
        let account = try ResolvedAccount.resolve("serve", account: accountOptions, ledger: ledgerOptions, rules: rulesOptions)
        let rules = account.rulesOptions ?? rulesOptions
        var configuration = ServeConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.rules = rules.rules
        configuration.settingsFiles = rules.settings
        configuration.overrides = rules.overrides
        if !batches.isEmpty { configuration.batches = batches }
        configuration.ledger = ServeLedger(location: account.ledgerLocation, exists: { account.ledgerExists },
                                           open: { try await account.openLedger() }, close: { await $0.close() })
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
        do {
            try await server.run { host, port in
                let shown = host.contains(":") ? "[\(host)]" : host
                print("listening on http://\(shown):\(port)")
                fflush(nil)
            }
        } catch {
            await server.state.close()
            throw error
        }
        await server.state.close()
    }
}
