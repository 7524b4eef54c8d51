import ArgumentParser
import Batch
import Foundation
import Ledger
import Unleashed

/// `omsync customers list|set|forget`: the Ordermentum customer → Unleashed customer mapping.
struct CustomersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers",
        abstract: "See and correct the customer mapping (Ordermentum customer → Unleashed customer code).",
        subcommands: [List.self, Set.self, Forget.self], defaultSubcommand: List.self)

    /// `omsync customers list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the mapping, with where each entry came from.")
        @OptionGroup var ledgerOptions: LedgerOptions
        @Option(help: "Output format: text or json.") var format: SummaryFormat = .text

        func run() async throws {
            let mappings = try await ledgerOptions.openExisting().customerMappings()
            if format == .json {
                let rows = mappings.map { m in
                    ["customerId": m.customerID, "customerName": m.customerName ?? "", "customerCode": m.customerCode,
                     "unleashedGuid": m.unleashedGuid ?? "", "origin": m.origin.rawValue]
                }
                let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
                CommandOutput.out(String(decoding: data, as: UTF8.self) + "\n")
                return
            }
            guard !mappings.isEmpty else { return CommandOutput.out("no customer mappings yet (an import records them)\n") }
            var lines = ["ordermentum customer                   code                 origin    name"]
            for m in mappings {
                lines.append([m.customerID.padding(toLength: 38, withPad: " ", startingAt: 0),
                              m.customerCode.padding(toLength: 20, withPad: " ", startingAt: 0),
                              m.origin.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0),
                              TerminalText.escaped(m.customerName ?? "")].joined(separator: " "))
            }
            CommandOutput.out(lines.joined(separator: "\n") + "\n")
        }
    }

    /// `omsync customers set CUSTOMER_ID CODE`.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map an Ordermentum customer to an Unleashed customer code (checked against Unleashed).",
            discussion: "The mapping set by hand wins over the customer's unleashed_customer_code property on later imports (a code on the order itself still wins).")
        @Argument(help: "The Ordermentum customer id (purchaserId).") var customerID: String
        @Argument(help: "The Unleashed customer code.") var code: String
        @OptionGroup var ledgerOptions: LedgerOptions
        @Option(help: ArgumentHelp("The credentials file.", valueName: "file")) var credentials = CredentialsFile.defaultPath

        func run() async throws {
            let client: UnleashedClient
            do {
                client = try UnleashedClient(configuration: UnleashedConfiguration(credentials: try CredentialsFile.load(path: credentials)))
            } catch {
                StandardError.line("omsync customers set: \(error)")
                throw ExitCode(.usage)
            }
            let found: [UnleashedRecord]
            do {
                found = try await client.customers(codePrefix: code, modifiedSince: nil)
            } catch {
                await client.shutdown()
                StandardError.line("omsync customers set: cannot check the code with Unleashed: \(error)")
                throw ExitCode(.runFailed)
            }
            await client.shutdown()
            guard let match = found.first(where: { ($0["CustomerCode"]?.stringValue ?? "").caseInsensitiveCompare(code) == .orderedSame }) else {
                StandardError.line("omsync customers set: Unleashed has no customer with code '\(code)'; check the code (or create the customer in Unleashed first)")
                throw ExitCode(.problems)
            }
            let ledger = try await ledgerOptions.open()
            let existing = try await ledger.customerMapping(customerID: customerID)
            let exact = match["CustomerCode"]?.stringValue ?? code
            try await ledger.saveCustomerMapping(CustomerMapping(
                customerID: customerID, customerName: existing?.customerName ?? match["CustomerName"]?.stringValue,
                customerCode: exact, unleashedGuid: match.guid, origin: .manual, updatedAt: Date()))
            CommandOutput.out("customer \(customerID) → \(exact) (set by hand)\n")
        }
    }

    /// `omsync customers forget CUSTOMER_ID`.
    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a customer's mapping (the next import resolves it again).")
        @Argument(help: "The Ordermentum customer id.") var customerID: String
        @OptionGroup var ledgerOptions: LedgerOptions

        func run() async throws {
            guard try await ledgerOptions.openExisting().forgetCustomerMapping(customerID: customerID) else {
                StandardError.line("omsync customers forget: no mapping for customer \(customerID); `omsync customers list` shows them")
                throw ExitCode(.problems)
            }
            CommandOutput.out("forgot the mapping of customer \(customerID)\n")
        }
    }
}
