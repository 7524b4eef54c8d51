import Batch
import Foundation
import Ledger
import Testing
import TestSupport

/// Issue 21, items 1 and 2: a SQLite ledger on a disk that fills up mid-import. The run stops at
/// once (exit 4) saying the disk is full, instead of failing order after order; every command then
/// reads the ledger (its pages still in the write-ahead log) rather than calling it truncated; and
/// once space is freed, the same import resumes and ends with every order in Unleashed once.
///
/// Needs a 600 kB tmpfs, so it runs where `mount` is allowed (root, as CI runs); elsewhere it is skipped.
@Suite(.serialized) struct FullDiskEndToEndTests {
    /// A fresh mount point with a small tmpfs on it, or nil when this process cannot mount.
    static func mountSmallDisk(size: String = "600k") -> String? {
        let point = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-full-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        return Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", point]) ? point : nil
    }

    /// Issue 21, item 12: a ledger on read-only media is read by the commands that only read
    /// (not called damaged), and a command that writes says the media is read-only (exit 4).
    @Test(.enabled(if: canMount, "needs to mount a tmpfs (root)"))
    func aLedgerOnReadOnlyMediaIsReadAndAWriteSaysWhy() async throws {
        let harness = try ImportHarness(orders: 5, seed: 6, name: "read-only")
        defer { harness.remove() }
        let disk = try #require(Self.mountSmallDisk(size: "16m"))
        defer { Self.run("/bin/umount", ["-l", disk]); try? FileManager.default.removeItem(atPath: disk) }
        let sandbox = try await harness.sandbox()
        let ledger = disk + "/ledger.sqlite"
        let first = try await harness.importOnce(harness.batch, ledger: ledger, into: sandbox)
        #expect(first.run.status == 0 || first.run.status == 1, "\(first.run.errors)")
        #expect(Self.run("/bin/mount", ["-o", "remount,ro", disk]))
        let logs = try await OMSyncBinary.run(["logs", "--ledger", ledger])
        #expect(logs.status == 0 && logs.output.contains("create"), "\(logs.status) \(logs.errors)")
        let list = try await OMSyncBinary.run(["customers", "list", "--ledger", ledger])
        #expect(list.status == 0, "\(list.errors)")
        let again = try await harness.importOnce(harness.batch, ledger: ledger, into: sandbox)
        #expect(again.run.status == 4, "\(again.run.errors)")
        #expect(again.run.errors.contains("read-only") && !again.run.errors.contains("backup") && !again.run.errors.contains("damaged"),
                "\(again.run.errors)")
    }

    @discardableResult static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static let canMount: Bool = {
        guard getuid() == 0, let point = mountSmallDisk() else { return false }
        run("/bin/umount", [point])
        return true
    }()

    @Test(.enabled(if: canMount, "needs to mount a tmpfs (root)"))
    func aFullDiskStopsTheImportSaysSoAndTheImportResumesOnceSpaceIsFreed() async throws {
        let harness = try ImportHarness(orders: 300, seed: 5, name: "full-disk")
        defer { harness.remove() }
        let disk = try #require(Self.mountSmallDisk())
        defer { Self.run("/bin/umount", ["-l", disk]); try? FileManager.default.removeItem(atPath: disk) }
        let sandbox = try await harness.sandbox()
        let ledger = disk + "/ledger.sqlite"

        let full = try await harness.importOnce(harness.batch, ledger: ledger, into: sandbox)
        #expect(full.run.status == 4, "a ledger that refuses writes stops the run: \(full.run.output.prefix(300)) \(full.run.errors.prefix(300))")
        let stopped = full.summary?["stopped"]?.stringValue ?? ""
        #expect(stopped.contains("the disk is full") && stopped.contains("Free space"), "\(stopped) \(full.run.errors.prefix(300))")
        #expect((full.summary?["counts"]?["failed"]?.numberValue?.int ?? 0) == 0, "no order is called failed for the ledger's disk: \(String(describing: full.summary))")

        // The ledger is healthy (its pages are in the write-ahead log): every command reads it.
        let logs = try await OMSyncBinary.run(["logs", "--ledger", ledger])
        #expect(logs.status == 0, "\(logs.errors)")
        #expect(!logs.errors.contains("truncated") && !logs.errors.contains("backup"), "\(logs.errors)")

        // Space freed: the same import resumes and finishes; every order is in Unleashed once.
        #expect(Self.run("/bin/mount", ["-o", "remount,size=64m", disk]))
        let resumed = try await harness.importOnce(harness.batch, ledger: ledger, into: sandbox)
        #expect(resumed.run.status == 0 || resumed.run.status == 1, "\(resumed.run.errors.prefix(500))")
        #expect((resumed.summary?["counts"]?["failed"]?.numberValue?.int ?? -1) == 0, "\(String(describing: resumed.summary))")
        let live = ImportHarness.live(try ImportHarness.salesOrders(sandbox))
        #expect(live.values.allSatisfy { $0.count == 1 }, "no order twice: \(live.filter { $0.value.count > 1 }.keys.sorted())")
        let rows = try await ImportHarness.rows(ledger)
        #expect(rows.count == 300 && !rows.contains { $0.state == .creating || $0.state == .superseding }, "\(rows.count) rows")
        #expect(live.count == rows.filter { $0.state == .pushed }.count, "every pushed order is live once")
    }
}
