import ArgumentParser
import Foundation
import Ledger

extension OMSync {
    /// The process entry point: parses, runs, and maps errors to the documented exit codes.
    ///
    /// ArgumentParser reports usage errors with exit code 64 (`EX_USAGE`); omsync documents
    /// 2 for every usage error (README, "Exit codes"), so those are remapped here. Everything
    /// else (help, `ExitCode` thrown by a command) keeps ArgumentParser's behaviour.
    public static func runMain(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as LedgerError {
            // A ledger error no command caught (an unknown stored value read by `logs`,
            // `customers list`, `retry`, …): the run itself failed, exit 4, whatever the command.
            StandardError.line("omsync: \(error)")
            Foundation.exit(ExitStatus.runFailed.rawValue)
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = fullMessage(for: error)
                StandardError.line(message)
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
