import TestSupport
import Batch
import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `omsync sandbox` as scripts run it: the built binary on a free port, signed HTTP calls, SIGINT.
@Suite(.serialized) struct SandboxEndToEndTests {

    /// A running `omsync sandbox`, always stopped: by `stop`, or with SIGKILL when the test fails or
    /// throws first (`deinit`), so no server outlives its test.
    ///
    /// Output and errors go to temporary files (a full pipe could block the server), and every wait
    /// has a deadline generous enough for a loaded CI machine, after which the process is killed.
    final class RunningSandbox: @unchecked Sendable {
        /// How a finished sandbox ended and what it wrote.
        struct Outcome {
            var status: Int32
            var exited: Bool
            var printed: String
            var errors: String
        }

        struct Failure: Error, CustomStringConvertible {
            var description: String
        }

        let process = Process()
        let scratch: URL
        private(set) var printed = ""
        private(set) var baseURL = ""

        /// Starts `omsync sandbox --port 0 ARGUMENTS`; with `waitUntilListening`, returns once it printed
        /// its `listening on` line (else kills it and throws with what it wrote to stderr).
        init(_ arguments: [String], waitUntilListening: Bool = true) throws {
            scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-e2e-run-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            for name in ["out", "err"] { _ = FileManager.default.createFile(atPath: file(name).path, contents: nil) }
            let out = try FileHandle(forWritingTo: file("out")), err = try FileHandle(forWritingTo: file("err"))
            defer { try? out.close(); try? err.close() }
            process.executableURL = URL(fileURLWithPath: try OMSyncBinary.checkedPath())
            process.arguments = ["sandbox", "--port", "0"] + arguments
            process.currentDirectoryURL = Project.root
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = out
            process.standardError = err
            try process.run()
            if waitUntilListening { try waitForListeningLine() }
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: scratch)
        }

        private func file(_ name: String) -> URL { scratch.appendingPathComponent(name) }

        private func contents(_ name: String) -> String {
            (try? Data(contentsOf: file(name))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }

        private func waitForListeningLine() throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                printed = contents("out")
                // Only whole lines: the port may still be half written.
                let lines = printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                if let line = lines.first(where: { $0.hasPrefix("listening on ") }) {
                    baseURL = String(line.dropFirst("listening on ".count))
                    return
                }
                guard process.isRunning, ContinuousClock.now < deadline else {
                    let outcome = waitForExit(within: .zero)
                    throw Failure(description: "the sandbox did not print 'listening on' (status \(outcome.status)): \(outcome.errors)")
                }
                usleep(20_000)
            }
        }

        /// Sends SIGINT (or SIGTERM) and waits for the exit.
        func stop(terminate: Bool = false) -> Outcome {
            if process.isRunning { terminate ? process.terminate() : process.interrupt() }
            return waitForExit()
        }

        /// Waits up to `limit` for the process to exit by itself, then kills it (`exited` is then false).
        func waitForExit(within limit: Duration = .seconds(30)) -> Outcome {
            let deadline = ContinuousClock.now + limit
            while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, exited: process.terminationReason == .exit,
                           printed: contents("out"), errors: contents("err"))
        }

        /// `init`, waited for on a thread of its own (the start takes a second or more on a loaded
        /// machine, and an async test must not hold a thread of the cooperative pool that long).
        static func start(_ arguments: [String], waitUntilListening: Bool = true) async throws -> RunningSandbox {
            try await OffPool.run { try RunningSandbox(arguments, waitUntilListening: waitUntilListening) }
        }

        /// `waitForExit`, waited for on a thread of its own.
        func exited() async throws -> Outcome {
            try await OffPool.run { self.waitForExit() }
        }

        /// Sets the latency of every call from now on (`PUT /_sandbox/faults`), on a thread of its
        /// own. Tests that must act while an import is still running start it slow (a window of
        /// many seconds, however loaded the machine) and switch to 0 once they have acted, so the
        /// window costs no time: nothing depends on the import being slower than a watch.
        func setLatency(milliseconds: Int) async throws {
            let url = baseURL + "/_sandbox/faults"
            let answer = try await OffPool.run { try BlockingHTTP.put(url, json: #"{"latencyMs":\#(milliseconds),"latencyJitterMs":0}"#) }
            let settings = try JSONValue.parse(Array(answer))
            #expect(settings["latencyMs"]?.numberValue?.int == milliseconds, "the latency is switched: \(String(decoding: answer, as: UTF8.self))")
        }

        /// A signed call (the signature over the query as sent).
        func call(_ method: String, _ path: String, query: String = "", id: String, key: String,
                  body: String? = nil) async throws -> (status: Int, json: JSONValue) {
            var request = URLRequest(url: try #require(URL(string: baseURL + path + (query.isEmpty ? "" : "?" + query))))
            request.httpMethod = method
            request.timeoutInterval = 60
            let mac = HMAC<SHA256>.authenticationCode(for: Data(query.utf8), using: SymmetricKey(data: Data(key.utf8)))
            request.setValue(id, forHTTPHeaderField: "api-auth-id")
            request.setValue(Data(mac).base64EncodedString(), forHTTPHeaderField: "api-auth-signature")
            request.setValue("ordermentum/omsync", forHTTPHeaderField: "client-type")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("application/json", forHTTPHeaderField: "Accept")
            request.httpBody = body.map { Data($0.utf8) }
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return (status, (try? JSONValue.parse(Array(data))) ?? .null)
        }
    }

    static let order = """
        {"Guid":"11111111-2222-4333-8444-555555555555","OrderStatus":"Parked","Customer":{"CustomerCode":"BEAN001"},
         "Warehouse":{"WarehouseCode":"MAIN"},"ExchangeRate":1,"Tax":{"TaxCode":"G.S.T."},"TaxRate":0.1,
         "SalesOrderLines":[{"LineNumber":1,"Product":{"ProductCode":"COF-1KG"},"OrderQuantity":3,"UnitPrice":"28.7900",
           "LineTotal":86.37,"LineTax":8.64}],"SubTotal":86.37,"TaxTotal":8.64,"Total":95.01}
        """

    @Test func servesOnAFreePortWithGeneratedCredentialsAndStopsOnSIGINT() async throws {
        let sandbox = try await RunningSandbox.start([])
        #expect(sandbox.baseURL.hasPrefix("http://127.0.0.1:"))
        let port = Int(sandbox.baseURL.split(separator: ":").last ?? "") ?? 0
        #expect(port > 0)
        func value(_ label: String) -> String {
            sandbox.printed.split(separator: "\n").first { $0.contains(label) }.map {
                String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
            } ?? ""
        }
        let id = value("api id:"), key = value("api key:")
        #expect(sandbox.printed.contains("sandbox credentials"))
        #expect(!id.isEmpty && !key.isEmpty)

        let warehouses = try await sandbox.call("GET", "/Warehouses", id: id, key: key)
        #expect(warehouses.status == 200)
        #expect(warehouses.json["Items"]?.arrayValue?.contains { $0["WarehouseCode"]?.stringValue == "OM_DELETE" } == true)
        let created = try await sandbox.call("POST", "/SalesOrders/11111111-2222-4333-8444-555555555555", id: id, key: key, body: Self.order)
        #expect(created.status == 201, "\(created.json.serialized())")
        #expect(created.json["OrderNumber"]?.stringValue == "SO-00000003")
        let found = try await sandbox.call("GET", "/SalesOrders", query: "customerCode=BEAN&pageSize=1", id: id, key: key)
        #expect(found.json["Pagination"]?["NumberOfItems"]?.numberValue?.int == 2)
        #expect(found.json["Items"]?.arrayValue?.count == 1)
        let forged = try await sandbox.call("GET", "/SalesOrders", id: id, key: "wrong-key")
        #expect(forged.status == 403)

        let stopped = sandbox.stop()
        #expect(stopped.exited && stopped.status == 0, "\(stopped.errors)")
        #expect(stopped.printed.components(separatedBy: "listening on ").count == 2)
        #expect(stopped.printed.components(separatedBy: key).count == 2)
        #expect(!stopped.errors.contains(key))
    }

    @Test func stateFileKeepsOrdersAcrossARestartAfterSIGTERM() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state.json").path
        let arguments = ["--api-id", "e2e-id", "--api-key", "e2e-key", "--state", state]

        let first = try await RunningSandbox.start(arguments)
        #expect(!first.printed.contains("sandbox credentials"))
        let created = try await first.call("POST", "/SalesOrders/11111111-2222-4333-8444-555555555555", id: "e2e-id", key: "e2e-key", body: Self.order)
        #expect(created.status == 201)
        let firstStop = first.stop(terminate: true)
        #expect(firstStop.exited && firstStop.status == 0, "\(firstStop.errors)")

        let second = try await RunningSandbox.start(arguments)
        let fetched = try await second.call("GET", "/SalesOrders/11111111-2222-4333-8444-555555555555", id: "e2e-id", key: "e2e-key")
        #expect(fetched.status == 200)
        #expect(fetched.json["Total"]?.numberValue?.text == "95.010")
        let secondStop = second.stop()
        #expect(secondStop.exited && secondStop.status == 0, "\(secondStop.errors)")
    }

    @Test(arguments: [
        (["--error-rate", "1.5"], "errorRate must be between 0 and 1"),
        (["--seed", "/nonexistent/seed.yaml"], "The seed file /nonexistent/seed.yaml does not exist"),
        (["--seed", "/"], "cannot read the seed file /: Is a directory"),
        (["--api-id", "only-the-id"], "Give both --api-id and --api-key, or neither."),
    ])
    func badOptionsExitWithAUsageError(arguments: [String], message: String) async throws {
        // Were the option accepted, the sandbox would serve: it is then killed rather than awaited forever.
        let outcome = try await RunningSandbox.start(arguments, waitUntilListening: false).exited()
        #expect(outcome.exited && outcome.status == 2)
        #expect(outcome.errors.contains(message), "\(outcome.errors)")
        #expect(!outcome.printed.contains("listening on"))
    }
}
