import Batch
import Foundation
import Testing
import TestSupport

/// The bad-input corpus run through the built binary (docs/reliability.md): for every case, no
/// crash, the documented exit status, a message that says what, where and what to do, and (for
/// batches) the good orders around the bad one planned as usual. What the user sees is a golden
/// file under `Tests/EndToEndTests/BadInput/` (`OMSYNC_RECORD=1` rewrites them; review with `git diff`).
@Suite struct BadInputCorpusTests {
    static let golden = Project.url("Tests/EndToEndTests/BadInput")

    @Test func theCorpusHoldsAtLeastSixtyCasesWithDistinctNames() {
        #expect(BadInputCorpus.cases.count >= 60, "\(BadInputCorpus.cases.count) cases")
        #expect(Set(BadInputCorpus.cases.map(\.name)).count == BadInputCorpus.cases.count, "names are unique")
    }

    @Test(arguments: BadInputCorpus.cases)
    func eachCaseIsAnsweredClearly(_ entry: BadInputCase) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bad-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Project.url("rules"), to: folder.appendingPathComponent("rules"))
        for (path, bytes) in entry.files {
            let url = folder.appendingPathComponent(path)
            if path.hasSuffix("/") {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } else {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url)
            }
        }
        let run = try await OMSyncBinary.run(entry.arguments, in: folder)
        let seen = Self.transcript(entry, run)
        Golden.check(seen, file: Self.golden.appendingPathComponent("\(entry.name).txt"))

        #expect(run.status == entry.status, "\(entry.name): exit \(run.status), documented \(entry.status)\n\(seen)")
        #expect(!run.errors.contains("Fatal error") && !run.errors.contains("Stack dump"), "\(entry.name) crashed:\n\(run.errors)")
        for text in entry.mustSay {
            #expect(seen.contains(text), "\(entry.name) must say \(text):\n\(seen)")
        }
        if entry.name.hasPrefix("batch-"), entry.mustSay.contains("OMGOOD2") {
            // The good order after the bad one is planned as it would be on its own.
            #expect(run.output.contains("OMGOOD2") && !Self.line(of: "OMGOOD2", in: run.output).contains("invalid"),
                    "\(entry.name): the good order after the bad one is unaffected:\n\(run.output)")
        }
    }

    /// What the user sees: the command, the exit status, standard output and standard error.
    /// Long lines are cut at 400 characters (a 200,000-character literal is not worth a golden file).
    static func transcript(_ entry: BadInputCase, _ run: OMSyncBinary.Run) -> String {
        func cut(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.count > 400 ? $0.prefix(400) + "… (\($0.count) characters)" : String($0) }.joined(separator: "\n")
        }
        return "$ omsync \(entry.arguments.joined(separator: " "))\nexit \(run.status)\n--- standard output\n\(cut(run.output))\n--- standard error\n\(cut(run.errors))\n"
    }

    /// The summary line of order `number` in a text preview.
    static func line(of number: String, in output: String) -> String {
        output.split(separator: "\n").first { $0.contains(number) }.map(String.init) ?? ""
    }
}
