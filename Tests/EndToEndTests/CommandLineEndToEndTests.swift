import Foundation
import Testing
import TestSupport

/// What a newcomer meets first on the command line (issue 21, item 12).
@Suite struct CommandLineEndToEndTests {
    /// `omsync --help` groups the subcommands: the main jobs first, then the import family,
    /// then accounts and ledgers, then tools (the sandbox no longer comes first).
    @Test func helpListsTheMainJobsFirst() async throws {
        let help = try await OMSyncBinary.run(["--help"])
        #expect(help.status == 0)
        let text = help.output
        let headings = ["RULES AND PREVIEWS SUBCOMMANDS:", "IMPORTING SUBCOMMANDS:", "ACCOUNTS AND LEDGERS SUBCOMMANDS:", "TOOLS SUBCOMMANDS:"]
        let places = headings.compactMap { text.range(of: $0)?.lowerBound }
        #expect(places.count == headings.count && places == places.sorted(), "\(text)")
        let preview = try #require(text.range(of: "\n  preview ")), importing = try #require(text.range(of: "\n  import ")),
            sandbox = try #require(text.range(of: "\n  sandbox "))
        #expect(preview.lowerBound < importing.lowerBound && importing.lowerBound < sandbox.lowerBound)
    }

    /// A credentials path that is a directory is called one, not "others can read it (mode 755)".
    @Test func aCredentialsPathThatIsADirectoryIsNamedSo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await OMSyncBinary.run(["import", Project.path("samples/orders.ndjson"), "--rules", Project.path("rules"),
                                              "--ledger", folder.appendingPathComponent("l.sqlite").path, "--credentials", folder.path])
        #expect(run.status == 2, "\(run.errors)")
        #expect(run.errors.contains("is a directory, not a credentials file") && !run.errors.contains("mode 755"), "\(run.errors)")
    }
}
