import ArgumentParser

/// Every exit status of every omsync command, named once (README, "Exit codes", lists the same
/// table; a test compares the two).
public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Done, nothing wrong.
    case ok = 0
    /// Done, but problems were found: rule errors (`check`), invalid orders or batch problems
    /// (`preview`, `inspect`), failing rule tests or none ran (`test`), orders rejected, blocked
    /// or failed (`import`, `retry`, `customers`).
    case problems = 1
    /// A usage error, or an input that cannot be read at all.
    case usage = 2
    /// The rules have errors: no record was read (`preview`, `test`, `import`, `retry`).
    case rules = 3
    /// The run itself failed: credentials refused, quota, Unleashed unreachable, the ledger busy
    /// or unusable, the output not writable. Resumable.
    case runFailed = 4
    /// Stopped by Ctrl-C (128 + SIGINT) after the calls in flight; the next run resumes.
    case interrupted = 130
}

extension ExitCode {
    /// The ArgumentParser exit code of `status`.
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}
