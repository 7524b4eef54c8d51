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
        @OptionGroup var accountOptions: AccountOptions
        @OptionGroup var ledgerOptions: LedgerOptions
        @Option(help: "Output format: text or json.") var format: SummaryFormat = .text

        func run() async throws {
            let account = try ResolvedAccount.resolve("customers list", account: accountOptions, ledger: ledgerOptions, needs: .ledgerOnly)
            let mappings = try await account.withLedger(existing: true, readOnly: true) { try await $0.customerMappings() }
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
                // Every column escaped (a code holding a newline must not forge a row), then padded.
                lines.append([TerminalText.escaped(m.customerID).padding(toLength: 38, withPad: " ", startingAt: 0),
                              TerminalText.escaped(m.customerCode).padding(toLength: 20, withPad: " ", startingAt: 0),
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
        @OptionGroup var accountOptions: AccountOptions
        @OptionGroup var ledgerOptions: LedgerOptions
        @OptionGroup var unleashedOptions: UnleashedOptions

        func run() async throws {
            // The account's own Unleashed is asked, and the mapping goes into the account's own ledger.
            let account = try ResolvedAccount.resolve("customers set", account: accountOptions, ledger: ledgerOptions, unleashed: unleashedOptions)
            let found: [UnleashedRecord] = try await account.withUnleashedClient { client in
                do {
                    return try await client.customers(codePrefix: code, modifiedSince: nil)
                } catch {
                    StandardError.line("omsync customers set: cannot check the code with Unleashed: \(error)")
                    throw ExitCode(.runFailed)
                }
            }
            guard let match = found.first(where: { ($0["CustomerCode"]?.stringValue ?? "").caseInsensitiveCompare(code) == .orderedSame }) else {
                StandardError.line("omsync customers set: Unleashed has no customer with code '\(code)'; check the code (or create the customer in Unleashed first)")
                throw ExitCode(.problems)
            }
            let exact = match["CustomerCode"]?.stringValue ?? code
            try await account.withLedger { ledger in
                let existing = try await ledger.customerMapping(customerID: customerID)
                try await ledger.saveCustomerMapping(CustomerMapping(
                    customerID: customerID, customerName: existing?.customerName ?? match["CustomerName"]?.stringValue,
                    customerCode: exact, unleashedGuid: match.guid, origin: .manual, updatedAt: Date()))
            }
            CommandOutput.out("customer \(customerID) → \(exact) (set by hand)\n")
        }
    }

    /// `omsync customers forget CUSTOMER_ID`.
    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a customer's mapping (the next import resolves it again).")
        @Argument(help: "The Ordermentum customer id.") var customerID: String
        @OptionGroup var accountOptions: AccountOptions
        @OptionGroup var ledgerOptions: LedgerOptions

        func run() async throws {
            let account = try ResolvedAccount.resolve("customers forget", account: accountOptions, ledger: ledgerOptions, needs: .ledgerOnly)
            guard try await account.withLedger(existing: true, { try await $0.forgetCustomerMapping(customerID: customerID) }) else {
                StandardError.line("omsync customers forget: no mapping for customer \(customerID); `omsync customers list` shows them")
                throw ExitCode(.problems)
            }
            CommandOutput.out("forgot the mapping of customer \(customerID)\n")
        }
    }
}
