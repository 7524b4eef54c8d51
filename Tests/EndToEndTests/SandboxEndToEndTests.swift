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
    static let root = OMSyncBinary.packageRoot
    static let binary = OMSyncBinary.path

    /// A running sandbox process and what it printed before it was ready.
    final class RunningSandbox {
        let process = Process()
        let output = Pipe()
        var printed = ""
        var baseURL = ""

        init(_ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: SandboxEndToEndTests.binary)
            process.arguments = ["sandbox", "--port", "0"] + arguments
            process.currentDirectoryURL = SandboxEndToEndTests.root
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while !printed.contains("listening on "), Date() < deadline {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                printed += String(decoding: data, as: UTF8.self)
            }
            let line = printed.split(separator: "\n").first { $0.hasPrefix("listening on ") }
            baseURL = line.map { String($0.dropFirst("listening on ".count)) } ?? ""
        }

        /// Sends SIGINT (or SIGTERM) and returns the exit status and everything printed.
        func interrupt(terminate: Bool = false) -> (status: Int32, printed: String) {
            if terminate { process.terminate() } else { process.interrupt() }
            let rest = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, printed + String(decoding: rest, as: UTF8.self))
        }

        /// A signed call (the signature over the query as sent).
        func call(_ method: String, _ path: String, query: String = "", id: String, key: String,
                  body: String? = nil) async throws -> (status: Int, json: JSONValue) {
            var request = URLRequest(url: try #require(URL(string: baseURL + path + (query.isEmpty ? "" : "?" + query))))
            request.httpMethod = method
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
        let sandbox = try RunningSandbox([])
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
        #expect(created.status == 200, "\(created.json.serialized())")
        #expect(created.json["OrderNumber"]?.stringValue == "SO-00000003")
        let found = try await sandbox.call("GET", "/SalesOrders", query: "customerCode=BEAN&pageSize=1", id: id, key: key)
        #expect(found.json["Pagination"]?["NumberOfItems"]?.numberValue?.int == 2)
        #expect(found.json["Items"]?.arrayValue?.count == 1)
        let forged = try await sandbox.call("GET", "/SalesOrders", id: id, key: "wrong-key")
        #expect(forged.status == 403)

        let (status, printed) = sandbox.interrupt()
        #expect(status == 0)
        #expect(printed.components(separatedBy: "listening on ").count == 2)
        #expect(printed.components(separatedBy: key).count == 2)
    }

    @Test func stateFileKeepsOrdersAcrossARestartAfterSIGTERM() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state.json").path
        let arguments = ["--api-id", "e2e-id", "--api-key", "e2e-key", "--state", state]

        let first = try RunningSandbox(arguments)
        #expect(!first.printed.contains("sandbox credentials"))
        let created = try await first.call("POST", "/SalesOrders/11111111-2222-4333-8444-555555555555", id: "e2e-id", key: "e2e-key", body: Self.order)
        #expect(created.status == 200)
        #expect(first.interrupt(terminate: true).status == 0)

        let second = try RunningSandbox(arguments)
        let fetched = try await second.call("GET", "/SalesOrders/11111111-2222-4333-8444-555555555555", id: "e2e-id", key: "e2e-key")
        #expect(fetched.status == 200)
        #expect(fetched.json["Total"]?.numberValue?.text == "95.01")
        #expect(second.interrupt().status == 0)
    }

    @Test func badOptionsExitWithAUsageError() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["sandbox", "--error-rate", "1.5"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(message.contains("errorRate must be between 0 and 1"))
    }
}
