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
    @OptionGroup var accountOptions: AccountOptions
    @OptionGroup var unleashedOptions: UnleashedOptions

    func run() async throws {
        // A named account must exist (a typo must not store credentials nobody will use); its
        // variables and its file are its own (the default account keeps the plain UNLEASHED_*).
        let account = try ResolvedAccount.resolve("connect", account: accountOptions, unleashed: unleashedOptions)
        let profile = account.profile
        let credentials = unleashedOptions.credentials ?? profile.defaultCredentialsPath
        let prefix = profile.variablePrefix
        guard let id = apiID ?? profile.variable("API_ID"), !id.isEmpty else {
            StandardError.line("omsync connect: give --api-id ID (or set \(prefix)API_ID)")
            throw ExitCode(.usage)
        }
        guard let secret = profile.variable("API_KEY") ?? Self.readKey(), !secret.isEmpty else {
            StandardError.line("omsync connect: no API key: set \(prefix)API_KEY or type it when asked")
            throw ExitCode(.usage)
        }
        let url = apiURL ?? profile.variable("API_URL") ?? UnleashedCredentials.defaultBaseURL
        let given = UnleashedCredentials(apiID: id, apiKey: APIKey(secret), baseURL: url)
        let currencies: [UnleashedRecord] = try await account.withUnleashedClient(credentials: given) { client in
            do {
                return try await client.list(.currencies, modifiedSince: nil)
            } catch {
                StandardError.line("omsync connect: \(error); nothing was stored")
                throw ExitCode(.runFailed)
            }
        }
        do {
            try CredentialsFile.save(given, secret: secret, path: credentials)
        } catch {
            StandardError.line("omsync connect: \(error)")
            throw ExitCode(.runFailed)
        }
        let whose = account.name == AccountName.defaultName ? "" : " for account \(account.name)"
        CommandOutput.out("connected to \(url) as \(id) (\(currencies.count) currencies); credentials\(whose) stored in \(credentials) (mode 0600)\n")
    }

    /// The key from standard input: asked for without echo on a terminal, else the first line.
    static func readKey() -> String? {
        if isatty(0) == 1, let typed = getpass("Unleashed API key: ") {
            return String(cString: typed).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
