import Batch
import Foundation
import Testing
import TestSupport

/// Secret hygiene (docs/reliability.md): with a known API key, every command that talks to
/// Unleashed, and every error path, writes the key nowhere (standard output and error, the
/// ledger and its WAL, every file in the working folder); the credentials file holds it, 0600,
/// and is refused when others can read it.
@Suite(.serialized) struct SecretHygieneEndToEndTests {
    static let (id, key) = ("hygiene-id", "hygiene-Key-7f3a9c2e51d8b6")

    @Test func theKeyAppearsOnlyInTheCredentialsFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hygiene-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start(["--api-id", Self.id, "--api-key", Self.key])
        let ledger = folder.appendingPathComponent("ledger.sqlite").path
        let credentials = folder.appendingPathComponent(".omsync/credentials").path
        let sample = Project.path("samples/orders-envelope.json")
        var outputs: [(String, String)] = []
        func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> OMSyncBinary.Run {
            // Run in the scratch folder (so every file written lands there), with the shipped rules.
            let rules = ["import", "preview", "retry"].contains(arguments[0]) ? ["--rules", Project.path("rules")] : []
            let result = try await OMSyncBinary.run(arguments + rules, input: input.map { Data($0.utf8) }, in: folder, environment: environment)
            outputs.append((arguments.joined(separator: " "), result.output + result.errors))
            return result
        }
        let viaEnvironment = ["UNLEASHED_API_ID": Self.id, "UNLEASHED_API_KEY": Self.key, "UNLEASHED_API_URL": sandbox.baseURL]

        // Every command that reads or writes through Unleashed, with the key in the environment.
        #expect(try await run(["import", sample, "--ledger", ledger], environment: viaEnvironment).status == 1)
        #expect(try await run(["import", sample, "--ledger", ledger, "--format", "json"], environment: viaEnvironment).status == 1)
        _ = try await run(["retry", "--ledger", ledger], environment: viaEnvironment)
        #expect(try await run(["preview", sample, "--ledger", ledger, "--against-unleashed"], environment: viaEnvironment).status == 1)
        _ = try await run(["import", sample, "--ledger", ledger, "--dry-run"], environment: viaEnvironment)
        for command in [["logs"], ["logs", "--errors", "--format", "json"], ["customers", "list"]] {
            #expect(try await run(command + ["--ledger", ledger]).status == 0)
        }

        // Error paths: a wrong key, Unleashed unreachable (the run stops after its retries, about a
        // minute of backoff, and says what to check), plain http to another host.
        let wrong = try await run(["import", sample, "--ledger", folder.appendingPathComponent("other.sqlite").path],
                            environment: viaEnvironment.merging(["UNLEASHED_API_KEY": Self.key + "-wrong"]) { $1 })
        #expect(wrong.status == 4, "\(wrong.errors)")
        let unreachable = try await run(["import", sample, "--ledger", folder.appendingPathComponent("gone.sqlite").path],
                                  environment: viaEnvironment.merging(["UNLEASHED_API_URL": "http://127.0.0.1:9"]) { $1 })
        #expect(unreachable.status == 4 && (unreachable.output + unreachable.errors).contains("could not be reached"), "\(unreachable.output) \(unreachable.errors)")
        let plain = try await run(["import", sample, "--ledger", folder.appendingPathComponent("plain.sqlite").path],
                            environment: viaEnvironment.merging(["UNLEASHED_API_URL": "http://unleashed.example.com"]) { $1 })
        #expect(plain.status != 0 && plain.errors.contains("https"), "\(plain.errors)")

        // connect stores the key 0600; a file others can read is refused, saying what to do.
        let connected = try await run(["connect", "--api-id", Self.id, "--api-url", sandbox.baseURL, "--credentials", credentials], input: Self.key + "\n")
        #expect(connected.status == 0, "\(connected.errors)")
        let mode = (try FileManager.default.attributesOfItem(atPath: credentials)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: credentials)
        let open = try await run(["import", sample, "--ledger", ledger, "--credentials", credentials])
        #expect(open.status == 2 && open.errors.contains("chmod 600"), "\(open.errors)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: credentials)
        #expect(try await run(["import", sample, "--ledger", ledger, "--credentials", credentials]).status == 1)

        // Nowhere but the credentials file: not printed, not in the ledger or its WAL, not in any file.
        for (command, text) in outputs {
            #expect(!text.contains(Self.key), "`omsync \(command)` printed the key")
        }
        let files = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? []
        #expect(files.contains { $0.hasSuffix("ledger.sqlite") })
        for name in files where !name.hasSuffix("credentials") {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            #expect(data.range(of: Data(Self.key.utf8)) == nil, "the key is in \(name)")
        }
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: credentials)), as: UTF8.self).contains(Self.key))
        _ = sandbox.stop()
    }
}
