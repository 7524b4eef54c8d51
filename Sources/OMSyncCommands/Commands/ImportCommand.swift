import ArgumentParser
import Push

/// `omsync import BATCH…`: pushes the batches into Unleashed through the ledger.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Push the orders of batch files into Unleashed (resumable; nothing lost, nothing duplicated).",
        discussion: """
            Credentials come from UNLEASHED_API_ID, UNLEASHED_API_KEY and UNLEASHED_API_URL, else from \
            the file `omsync connect` writes (.omsync/credentials). With --account NAME: the settings \
            (and rules, if any) of accounts/NAME, the credentials from OMSYNC_NAME_API_ID/_API_KEY/_API_URL \
            or .omsync/accounts/NAME/credentials (0600), and one import per account at a time. Every order ends created, replaced, \
            superseded, skipped, blocked or rejected, with a row in the integration log (`omsync logs`). \
            Ctrl-C stops after the calls in flight and saves the checkpoint; running the same import again \
            resumes it, and so does a run after a kill. Re-running a batch creates nothing.
            Exit codes: 0 every order pushed or skipped; 1 some orders rejected, blocked or failed; \
            2 usage error or a batch that cannot be read; 3 the rules have errors; 4 the run itself failed \
            (credentials refused, quota, Unleashed unreachable, ledger busy or unusable); 130 stopped by Ctrl-C.
            """)

    @Argument(help: ArgumentHelp("Batch files (JSON array, JSON Lines, API envelope or export).", valueName: "batch"))
    var batches: [String] = []

    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var accountOptions: AccountOptions
    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var unleashedOptions: UnleashedOptions
    @OptionGroup var observability: ObservabilityOptions

    @OptionGroup var runOptions: ImportRunOptions

    @Flag(name: .customLong("dry-run"), help: "Plan only, against the ledger (as `omsync preview` does): no call to Unleashed.")
    var dryRun = false

    func validate() throws {
        if batches.isEmpty { throw ValidationError("give at least one batch file") }
        if batches.contains("-") {
            throw ValidationError("import reads files, not standard input (a resumed run reads them again): save the batch to a file first")
        }
    }

    func run() async throws {
        let account = try ResolvedAccount.resolve("import", account: accountOptions, ledger: ledgerOptions, rules: rulesOptions,
                                                  unleashed: unleashedOptions)
        if dryRun {
            // A dry run is the ledger-aware preview of the same batches, for the same account.
            var preview = PreviewCommand.Request(batches: batches)
            preview.format = runOptions.format == .json ? .json : .text
            return try await PreviewCommand.preview(preview, account: account)
        }
        let pipeline = try account.compile()
        let unleashed = try account.unleashedConfiguration(rate: runOptions.rate)
        let options = runOptions.pushOptions(account)
        try await account.withLedger { ledger in
            try await account.push(batches: batches, ledger: ledger, pipeline: pipeline, unleashed: unleashed,
                                   options: options, format: runOptions.format, observability: observability)
        }
    }
}

/// What a run of the push stage takes besides the account (`import`, `watch`): `--concurrency`,
/// `--rate`, `--quota`, `--format`.
struct ImportRunOptions: ParsableArguments {
    @Option(help: "Orders in flight at once (orders with the same Ordermentum id never overlap).")
    var concurrency = 4

    @Option(help: ArgumentHelp("At most this many API calls per second.", valueName: "calls"))
    var rate: Double?

    @Option(help: ArgumentHelp("Stop cleanly (and resumably) before using more than this many API calls this month.", valueName: "calls"))
    var quota: Int?

    @Option(help: "Summary format: text or json.")
    var format: SummaryFormat = .text

    func validate() throws {
        if concurrency < 1 || concurrency > 64 { throw ValidationError("--concurrency must be 1...64") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be a positive number of calls per second") }
        if let quota, quota < 1 { throw ValidationError("--quota must be at least 1") }
    }

    /// The push options these give for `account` (its profile's quota unless `--quota`).
    func pushOptions(_ account: ResolvedAccount) -> PushOptions {
        var options = PushOptions()
        options.concurrency = concurrency
        options.quota = quota ?? account.profile.quota
        return options
    }
}
