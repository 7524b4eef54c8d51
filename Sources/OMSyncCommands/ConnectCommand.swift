import ArgumentParser
import Foundation
import Unleashed
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `omsync connect`: checks Unleashed credentials with one cheap call and stores them.
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Check the Unleashed API ID and key with one call, and store them in .omsync/credentials (mode 0600).",
        discussion: """
            The key is read from UNLEASHED_API_KEY, else from standard input (one line; on a terminal \
            it is asked for without echo). It is never printed. Exit codes: 0 stored; 2 usage error; \
            4 Unleashed refused the credentials or could not be reached (nothing stored).
            """)

    @Option(name: .customLong("api-id"), help: "The API ID (default: UNLEASHED_API_ID).") var apiID: String?
    @Option(name: .customLong("api-url"), help: "The API URL (default: UNLEASHED_API_URL, else Unleashed's).") var apiURL: String?
    @Option(help: ArgumentHelp("Where to store them.", valueName: "file")) var credentials = CredentialsFile.defaultPath

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let id = apiID ?? environment["UNLEASHED_API_ID"], !id.isEmpty else {
            StandardError.line("omsync connect: give --api-id ID (or set UNLEASHED_API_ID)")
            throw ExitCode(.usage)
        }
        guard let secret = environment["UNLEASHED_API_KEY"].flatMap({ $0.isEmpty ? nil : $0 }) ?? Self.readKey(), !secret.isEmpty else {
            StandardError.line("omsync connect: no API key: set UNLEASHED_API_KEY or type it when asked")
            throw ExitCode(.usage)
        }
        let url = apiURL ?? environment["UNLEASHED_API_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? UnleashedCredentials.defaultBaseURL
        let given = UnleashedCredentials(apiID: id, apiKey: APIKey(secret), baseURL: url)
        let client: UnleashedClient
        do {
            client = try UnleashedClient(configuration: UnleashedConfiguration(credentials: given))
        } catch {
            StandardError.line("omsync connect: \(error)")
            throw ExitCode(.usage)
        }
        do {
            let currencies = try await client.list(.currencies, modifiedSince: nil)
            await client.shutdown()
            try CredentialsFile.save(given, secret: secret, path: credentials)
            CommandOutput.out("connected to \(url) as \(id) (\(currencies.count) currencies); credentials stored in \(credentials) (mode 0600)\n")
        } catch let error as UnleashedError {
            await client.shutdown()
            StandardError.line("omsync connect: \(error); nothing was stored")
            throw ExitCode(.runFailed)
        } catch {
            await client.shutdown()
            StandardError.line("omsync connect: \(error)")
            throw ExitCode(.runFailed)
        }
    }

    /// The key from standard input: asked for without echo on a terminal, else the first line.
    static func readKey() -> String? {
        if isatty(0) == 1, let typed = getpass("Unleashed API key: ") {
            return String(cString: typed).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
