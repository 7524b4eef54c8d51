import ArgumentParser
import Batch
import Foundation

extension SyntheticBatch.Shape: ExpressibleByArgument {}

/// `omsync generate --orders N`: a synthetic Ordermentum batch, to try omsync at scale or to
/// benchmark it, and (with `--sandbox-seed`) the sandbox seed that holds its reference data.
public struct GenerateCommand: ParsableCommand {
    /// The command's name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic Ordermentum batch (deterministic for a seed).",
        discussion: """
        The orders look like the Ordermentum v1 API's: customers with properties, taxable and \
        untaxed lines, freight, TBA delivery dates, about 2 % cancelled. The same --orders, --seed \
        and --shape always give the same bytes. --sandbox-seed also writes the 'omsync sandbox \
        --seed' file with the customers and products the batch names, so that it imports cleanly:
          omsync generate --orders 20000 --output big.json --sandbox-seed big-seed.yaml
          omsync sandbox --seed big-seed.yaml &
        Memory stays flat whatever the size: orders are written one at a time.
        """
    )

    @Option(help: "How many orders.")
    var orders: Int

    @Option(help: "The random seed: the same seed gives the same batch.")
    var seed: UInt64 = 7

    @Option(help: "envelope (the API's list form), array, ndjson (one order a line) or export (orders and customers).")
    var shape: SyntheticBatch.Shape = .envelope

    @Option(name: .shortAndLong, help: "Write the batch here instead of standard output.")
    var output: String?

    @Option(help: "Also write the sandbox seed (YAML) holding the batch's customers and products here.")
    var sandboxSeed: String?

    /// A command with default options (ArgumentParser fills them in).
    public init() {}

    /// Checks the count before anything is written.
    public func validate() throws {
        guard orders >= 0 else { throw ValidationError("--orders must be 0 or more, not \(orders)") }
    }

    /// Writes the batch, then the seed.
    public func run() throws {
        let generator = SyntheticBatch(orders: orders, seed: seed, shape: shape)
        let sink: OutputSink
        if let output {
            do { sink = try OutputSink(path: output) } catch {
                StandardError.line("omsync generate: \(error)")
                throw ExitCode(.usage)
            }
        } else {
            sink = OutputSink(fd: 1)
        }
        generator.write(to: sink)
        if let errno = sink.failure {
            StandardError.line("omsync generate: cannot write \(output ?? "standard output"): \(String(cString: strerror(errno)))")
            throw ExitCode(.runFailed)
        }
        if let sandboxSeed {
            do { try generator.sandboxSeed.write(toFile: sandboxSeed, atomically: true, encoding: .utf8) } catch {
                StandardError.line("omsync generate: cannot write the sandbox seed \(sandboxSeed): \(error.localizedDescription)")
                throw ExitCode(.runFailed)
            }
        }
    }
}
