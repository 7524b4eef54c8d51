import ArgumentParser

/// The root `omsync` command: every subcommand hangs off it.
public struct OMSync: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "omsync",
        abstract: "Move Ordermentum orders into Unleashed, driven by YAML rules.",
        subcommands: [SandboxCommand.self, InspectCommand.self, CheckCommand.self, PreviewCommand.self, TestCommand.self,
                      ImportCommand.self, RetryCommand.self, LogsCommand.self, CustomersCommand.self, ConnectCommand.self,
                      GenerateCommand.self, LedgerCommand.self, AccountsCommand.self,
                      SchemaCommand.self, ServeCommand.self, WatchCommand.self]
    )
    public init() {}
}
