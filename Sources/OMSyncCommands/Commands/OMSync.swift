import ArgumentParser

/// The root `omsync` command: every subcommand hangs off it, grouped as a newcomer meets them:
/// the main jobs first, then the import family, then accounts and the ledger, then tools.
public struct OMSync: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "omsync",
        abstract: "Move Ordermentum orders into Unleashed, driven by YAML rules.",
        discussion: "Start with `omsync preview samples/orders.ndjson`; docs/operations.md walks through a first import.",
        groupedSubcommands: [
            CommandGroup(name: "Rules and previews", subcommands: [
                PreviewCommand.self, CheckCommand.self, TestCommand.self, ServeCommand.self, InspectCommand.self,
            ]),
            CommandGroup(name: "Importing", subcommands: [
                ImportCommand.self, WatchCommand.self, RetryCommand.self, LogsCommand.self, CustomersCommand.self,
            ]),
            CommandGroup(name: "Accounts and ledgers", subcommands: [
                ConnectCommand.self, AccountsCommand.self, LedgerCommand.self,
            ]),
            CommandGroup(name: "Tools", subcommands: [
                SandboxCommand.self, GenerateCommand.self, SchemaCommand.self,
            ]),
        ]
    )
    public init() {}
}
