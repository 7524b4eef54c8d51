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
            it is asked for without echo). It is never printed. With --account NAME (an account of the \
            accounts folder), the variables are OMSYNC_NAME_API_ID, OMSYNC_NAME_API_KEY and \
            OMSYNC_NAME_API_URL, and the file .omsync/accounts/NAME/credentials: where `omsync import \
            --account NAME` looks. Exit codes: 0 stored; 2 usage error; 4 Unleashed refused the \
            credentials or could not be reached (nothing stored).
            """)

    @Option(name: .customLong("api-id"), help: "The API ID (default: UNLEASHED_API_ID, for --account NAME OMSYNC_NAME_API_ID).") var apiID: String?
    @Option(name: .customLong("api-url"), help: "The API URL (default: UNLEASHED_API_URL, for --account NAME OMSYNC_NAME_API_URL; else Unleashed's).") var apiURL: String?
    @Option(help: ArgumentHelp("Where to store them (default .omsync/credentials, for --account NAME .omsync/accounts/NAME/credentials).", valueName: "file"))
    var credentials: String?
    @Option(help: ArgumentHelp("The account these credentials are for (default: default).", valueName: "name")) var account: String?
    @Option(name: .customLong("accounts"), help: ArgumentHelp("The accounts folder, where --account NAME must have its folder.", valueName: "dir"))
    var accountsFolder = "accounts"

    func validate() throws {
        if let account, let problem = AccountName.problem(account) { throw ValidationError("--account: \(problem)") }
    }

    func run() async throws {
        let name = account ?? AccountName.defaultName
        // A named account must exist (a typo must not store credentials nobody will use).
        let profile: AccountProfile
        do {
            profile = try AccountProfile.load(name: name, accountsFolder: accountsFolder)
        } catch {
            StandardError.line("omsync connect: \(error)")
            throw ExitCode(.usage)
        }
        let credentials = self.credentials ?? profile.defaultCredentialsPath
        let environment = ProcessInfo.processInfo.environment
        // The default account keeps the plain UNLEASHED_* variables; a named one never reads them.
        let prefix = name == AccountName.defaultName ? "UNLEASHED_" : AccountName.environmentPrefix(name)
        let variable = { (suffix: String) in environment[prefix + suffix].flatMap { $0.isEmpty ? nil : $0 } }
        guard let id = apiID ?? variable("API_ID"), !id.isEmpty else {
            StandardError.line("omsync connect: give --api-id ID (or set \(prefix)API_ID)")
            throw ExitCode(.usage)
        }
        guard let secret = variable("API_KEY") ?? Self.readKey(), !secret.isEmpty else {
            StandardError.line("omsync connect: no API key: set \(prefix)API_KEY or type it when asked")
            throw ExitCode(.usage)
        }
        let url = apiURL ?? variable("API_URL") ?? UnleashedCredentials.defaultBaseURL
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
            let whose = name == AccountName.defaultName ? "" : " for account \(name)"
            CommandOutput.out("connected to \(url) as \(id) (\(currencies.count) currencies); credentials\(whose) stored in \(credentials) (mode 0600)\n")
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
