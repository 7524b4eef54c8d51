import Foundation
import TestSupport
import Testing

/// Issue 7, item 4: control characters from a batch never reach people's output as they are:
/// no fake order header, no terminal rewrite, no fake "problems: none" (json and ndjson escape
/// them as JSON does).
struct HostileOutputEndToEndTests {
    /// An order whose number holds a newline and a fake header, whose SKU holds ESC sequences and
    /// C1/U+2028 characters, and whose createdAt is crafted to print a fake summary line.
    static let order = """
    {"id":"h-1","orderNumber":"OM1\\nOM2  create  (index 9, id fake)","status":"Placed","placedOn":"2019-04-08T22:16:31.902Z",\
    "createdAt":"2019-04-08\\n  problems: none\\u001b[2K","deliveryDate":"2019-04-09T14:00:00.000Z",\
    "properties":{"unleashed_customer_code":"C1\\u0085\\u2028"},"purchaser":{"id":"c1","retailerBillingEmail":"a@b.example"},\
    "lineItems":[{"SKU":"\\u001b[1A\\u001b[2KSKU\\u007f","quantity":1,"price":"1.0000","taxable":true,"product":{"properties":{}}}]}
    """

    static func batch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).json")
        try Data(("[" + order + "]").utf8).write(to: url)
        return url
    }

    /// Every control character of `text` except the newlines that end lines.
    static func controls(_ text: String) -> [UInt32] {
        text.unicodeScalars.map(\.value).filter { $0 != 0x0A && ($0 < 0x20 || (0x7F..<0xA0).contains($0) || $0 == 0x2028 || $0 == 0x2029) }
    }

    @Test(arguments: [["preview"], ["preview", "--explain"], ["inspect"]])
    func textOutputEscapesEveryControlCharacter(_ command: [String]) async throws {
        let url = try Self.batch()
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try await OMSyncBinary.run(command + [url.path])
        #expect(run.status <= 1, "\(run.errors)")
        #expect(Self.controls(run.output).isEmpty, "raw control characters in \(command): \(Self.controls(run.output))")
        let lines = run.output.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("OM2") }, "a newline in the order number must not print a fake order header")
        #expect(!lines.contains { $0.trimmingCharacters(in: .whitespaces) == "problems: none" } || command != ["inspect"]
                    || !run.output.contains("2019-04-08\n"), "the crafted createdAt must not print a fake summary line")
        if command == ["inspect"] {
            #expect(run.output.contains("2019-04-08\\x0A  problems: none\\x1B[2K"), "\(run.output)")
        } else {
            #expect(run.output.contains("OM1\\x0AOM2"), "\(run.output)")
            #expect(run.output.contains("\\x1B[1A\\x1B[2KSKU\\x7F"), "\(run.output)")
        }
    }

    /// Issue 21, item 5: the ledger's text outputs escape every column, not only the message: an
    /// order number or a customer code holding a newline must not forge a row.
    @Test func ledgerTextOutputsEscapeEveryColumn() async throws {
        let url = try Self.batch()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url); try? FileManager.default.removeItem(at: folder) }
        let sandbox = try await SandboxEndToEndTests.RunningSandbox.start([])
        let environment = PostgresLedgerEndToEndTests.credentials(sandbox)
        let ledger = folder.appendingPathComponent("ledger.sqlite").path
        _ = try await OMSyncBinary.run(["import", Project.path("samples/orders-envelope.json"), "--ledger", ledger], environment: environment)
        let hostile = try await OMSyncBinary.run(["import", url.path, "--ledger", ledger], environment: environment)
        #expect(hostile.status == 1, "the hostile order is rejected: \(hostile.errors)")
        _ = try await PythonScript.run(["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            n = db.execute("UPDATE customer_mappings SET customer_code = 'X' || char(10) || 'c-fake  FAKE  manual' || char(27) || '[2K' "
                           "WHERE rowid = (SELECT min(rowid) FROM customer_mappings)").rowcount
            assert n == 1, n
            db.commit()
            """, ledger])
        for command in [["logs"], ["customers", "list"], ["accounts"]] {
            let run = try await OMSyncBinary.run(command + ["--ledger", ledger])
            #expect(run.status == 0, "\(command): \(run.errors)")
            #expect(Self.controls(run.output).isEmpty, "raw control characters in \(command): \(Self.controls(run.output))")
            let lines = run.output.split(separator: "\n")
            #expect(!lines.contains { $0.hasPrefix("OM2") || $0.hasPrefix("c-fake") }, "\(command) printed a forged row: \(run.output)")
        }
        let logs = try await OMSyncBinary.run(["logs", "--ledger", ledger])
        #expect(logs.output.contains("OM1\\x0AOM2"), "\(logs.output)")
        let customers = try await OMSyncBinary.run(["customers", "list", "--ledger", ledger])
        #expect(customers.output.contains("X\\x0Ac-fake"), "\(customers.output)")
        _ = sandbox.stop()
    }
}
