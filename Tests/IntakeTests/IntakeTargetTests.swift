import Foundation
import Testing
@testable import Intake

/// The inbox rules of `omsync watch` (docs/intake.md): names, order, stability, moves, journal.
@Suite struct InboxTests {
    /// A fresh inbox directory.
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "omsync-inbox-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ name: String, in directory: String, _ text: String = "[]", modified: Date? = nil) throws {
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path) }
    }

    @Test func batchNames() {
        for name in ["a.json", "b.ndjson", "c.jsonl", "D.JSON", "x.y.json"] { #expect(Inbox.isBatchName(name), "\(name)") }
        for name in [".a.json", "a.json.partial", "a.json.part", "a.json.tmp", "a.partial", "a.csv", "done", ".omsync-cycle.json", "a.json.summary.txt"] {
            #expect(!Inbox.isBatchName(name), "\(name)")
        }
    }

    @Test func listsBatchesOldestFirstThenByName() throws {
        let dir = try Self.directory()
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        try Self.write("c.json", in: dir, modified: base)
        try Self.write("b.json", in: dir, modified: base.addingTimeInterval(10))
        try Self.write("a.json", in: dir, modified: base.addingTimeInterval(10))
        try Self.write("z.ndjson", in: dir, modified: base.addingTimeInterval(-5))
        try Self.write("w.json.partial", in: dir, modified: base)
        try Self.write(".hidden.json", in: dir, modified: base)
        try FileManager.default.createDirectory(atPath: dir + "/sub.json", withIntermediateDirectories: true)
        let inbox = try Inbox(directory: dir, settle: 0)
        #expect(try inbox.listing().map(\.name) == ["z.ndjson", "c.json", "a.json", "b.json"])
    }

    @Test func takesAFileOnlyOnceStable() throws {
        let dir = try Self.directory()
        let now = Date()
        try Self.write("a.json", in: dir, modified: now)
        try Self.write("old.json", in: dir, modified: now.addingTimeInterval(-60))
        let inbox = try Inbox(directory: dir, settle: 2)
        // Just written: not yet; one written long ago: at once.
        #expect(try inbox.stable(now: now).map(\.name) == ["old.json"])
        #expect(try inbox.hasUnsettled(now: now))
        // Seen unchanged for the settle time (even with a modification time in the future): taken.
        try Self.write("a.json", in: dir, modified: now.addingTimeInterval(30))
        #expect(try inbox.stable(now: now.addingTimeInterval(1)).map(\.name) == ["old.json"])
        #expect(try inbox.stable(now: now.addingTimeInterval(2)).map(\.name) == ["old.json"])
        #expect(try inbox.stable(now: now.addingTimeInterval(3.5)).map(\.name) == ["old.json", "a.json"])
        // It grew: the clock starts again.
        try Self.write("a.json", in: dir, "[1]", modified: now.addingTimeInterval(30))
        #expect(try inbox.stable(now: now.addingTimeInterval(4)).map(\.name) == ["old.json"])
    }

    @Test func movesNeverCollide() throws {
        let dir = try Self.directory()
        let inbox = try Inbox(directory: dir, settle: 0)
        try Self.write("a.json", in: dir, "[1]")
        let first = try #require(try inbox.listing().first)
        #expect(try inbox.moveDone(first, summary: Data("{\"n\":1}".utf8)) == dir + "/done/a.json")
        try Self.write("a.json", in: dir, "[2]")
        let second = try #require(try inbox.listing().first)
        #expect(try inbox.moveDone(second, summary: Data("{\"n\":2}".utf8)) == dir + "/done/a-2.json")
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/done/a-2.json.summary.json")), as: UTF8.self) == "{\"n\":2}")
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/done/a.json")), as: UTF8.self) == "[1]")
        // A leftover note alone also takes the name.
        try Self.write("a-3.json.summary.json", in: dir + "/done")
        try Self.write("a.json", in: dir, "[3]")
        let third = try #require(try inbox.listing().first)
        #expect(try inbox.moveDone(third, summary: Data()) == dir + "/done/a-4.json")
        try Self.write("b.json", in: dir, "nope")
        let bad = try #require(try inbox.listing().first)
        #expect(try inbox.moveFailed(bad, error: "b.json: not JSON") == dir + "/failed/b.json")
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/failed/b.json.error.txt")), as: UTF8.self) == "b.json: not JSON\n")
        #expect(try inbox.listing().isEmpty)
    }

    @Test func journalKeepsTheCycleFiles() throws {
        let dir = try Self.directory()
        let inbox = try Inbox(directory: dir, settle: 0)
        #expect(try inbox.unfinishedCycle() == nil)
        let base = Date().addingTimeInterval(-100)
        try Self.write("b.json", in: dir, modified: base)
        try Self.write("a.json", in: dir, modified: base.addingTimeInterval(1))
        let files = try inbox.stable()
        try inbox.beginCycle(files)
        #expect(FileManager.default.fileExists(atPath: dir + "/.omsync-cycle.json"))
        // A file arriving later (even an older one) is not part of the journaled cycle.
        try Self.write("0.json", in: dir, modified: base.addingTimeInterval(-50))
        let restarted = try Inbox(directory: dir, settle: 0)
        #expect(try restarted.unfinishedCycle()?.map(\.name) == ["b.json", "a.json"])
        restarted.endCycle()
        #expect(try restarted.unfinishedCycle() == nil)
        try Self.write(".omsync-cycle.json", in: dir, "garbage")
        #expect(throws: IntakeError.self) { try restarted.unfinishedCycle() }
    }

    @Test func refusesAMissingDirectory() {
        #expect(throws: IntakeError.self) { try Inbox(directory: "/nonexistent/omsync-inbox") }
    }

    @Test func signalWakesOnAFileMovedIn() async throws {
        let dir = try Self.directory()
        let signal = InboxSignal(directory: dir)
        #expect(await signal.wait(atMost: .milliseconds(50)) { false } == false)
        signal.wake()
        #expect(await signal.wait(atMost: .seconds(5)) { false })
        #if os(Linux)
        #expect(signal.usesInotify)
        try Self.write("a.json.partial", in: dir)
        _ = await signal.wait(atMost: .milliseconds(50)) { false }
        #expect(rename(dir + "/a.json.partial", dir + "/a.json") == 0)
        #expect(await signal.wait(atMost: .seconds(5)) { false })
        #endif
    }
}
