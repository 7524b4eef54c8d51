import ArgumentParser
import Batch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `omsync inspect BATCH…`: what is in a batch (shape, counts, dates, problems), without rules.
///
/// Exit codes: 0 every batch read cleanly; 1 a batch had problems; 2 usage error or a file that
/// cannot be read. `--format json` prints one object per batch (an array for several batches).
public struct InspectCommand: ParsableCommand {
    /// The command's name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise batch files: shape, orders, customers, dates and every problem found.",
        discussion: """
        A batch is a JSON array of orders, JSON Lines, the Ordermentum envelope {"meta","links","data":[…]} \
        or an export {"orders":[…],"customers":[…]}; '-' reads standard input. \
        Exit status: 0 clean, 1 the batch had problems, 2 usage error or unreadable file.
        """
    )

    @Argument(parsing: .allUnrecognized, help: "Batch files to inspect ('-' = standard input).")
    var batches: [String] = []

    @Option(help: "Output format: text or json.")
    var format: SummaryFormat = .text

    @Flag(help: .hidden)
    var echo = false

    /// A command with default options (ArgumentParser fills them in).
    public init() {}

    /// Inspects each batch in turn and exits with the documented status.
    public func run() throws {
        if let unknown = batches.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
            StandardError.write("omsync inspect: unknown option '\(unknown)' (see 'omsync inspect --help')\n")
            throw ExitCode(.usage)
        }
        guard !batches.isEmpty else {
            StandardError.write("omsync inspect: give at least one batch file ('-' reads standard input)\n")
            throw ExitCode(.usage)
        }
        if echo { throw ExitCode(runEcho()) }
        var summaries: [BatchSummary] = []
        var unreadable = false
        for path in batches {
            do throws(BatchProblem) {
                summaries.append(BatchSummary.of(try BatchReader(path: path)))
            } catch {
                StandardError.write("omsync inspect: \(error.message)\n")
                unreadable = true
            }
        }
        let sink = OutputSink(fd: 1)
        var writer = JSONWriter()
        if format == .json && (batches.count > 1 || !summaries.isEmpty) {
            if batches.count > 1 { writer.beginArray() }
            for summary in summaries { summary.write(to: &writer) }
            if batches.count > 1 { writer.endArray() }
            writer.newline()
        } else if format == .text {
            for summary in summaries { writer.bytes.append(contentsOf: summary.text.utf8) }
        }
        sink.write(&writer)
        sink.flush()
        if unreadable { throw ExitCode(.usage) }
        if summaries.contains(where: { !$0.isClean }) { throw ExitCode(.problems) }
    }

    /// `--echo` (hidden; for the reader + writer benchmark): writes every order back to standard
    /// output as JSON Lines through `JSONWriter`, problems to standard error.
    func runEcho() -> Int32 {
        let sink = OutputSink(fd: 1)
        var writer = JSONWriter()
        var status: Int32 = 0
        for path in batches {
            do throws(BatchProblem) {
                let reader = try BatchReader(path: path)
                while let item = reader.next() {
                    switch item {
                    case .record(let record):
                        writer.write(record.order, record.order.root)
                        writer.newline()
                        if writer.bytes.count >= 1 << 20 { sink.write(&writer) }
                    case .problem(let problem):
                        StandardError.write("\(path):\(problem.description)\n")
                        status = max(status, 1)
                    }
                }
            } catch {
                StandardError.write("omsync inspect: \(error.message)\n")
                status = 2
            }
        }
        sink.write(&writer)
        sink.flush()
        return status
    }
}
