import Foundation
import Testing
import TestSupport

/// TLS cannot be switched off (issue 11, docs/reliability.md): an https server on loopback with a
/// self-signed certificate is refused by `omsync connect` (the certificate is verified against
/// the system's trust store, with no option to skip it), and a plain http:// URL to a host that is
/// not loopback is refused before any connection.
@Suite(.serialized) struct TLSEndToEndTests {
    /// A Python https server on a free loopback port, with a fresh self-signed certificate.
    final class SelfSignedServer {
        let process = Process()
        let folder: URL
        private(set) var port = 0

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                                 "-addext", "subjectAltName=IP:127.0.0.1",
                                 "-keyout", folder.appendingPathComponent("key.pem").path, "-out", folder.appendingPathComponent("cert.pem").path]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            let script = """
                import http.server, ssl, sys
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
                        self.wfile.write(b'{"Pagination":{"NumberOfItems":0,"PageSize":200,"PageNumber":1,"NumberOfPages":1},"Items":[]}')
                    def log_message(self, *a): pass
                s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
                c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain("cert.pem", "key.pem")
                s.socket = c.wrap_socket(s.socket, server_side=True)
                print(s.server_address[1], flush=True)
                s.serve_forever()
                """
            let out = folder.appendingPathComponent("port")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script]
            process.currentDirectoryURL = folder
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while port == 0, Date() < deadline, process.isRunning {
                port = Int((try? String(contentsOf: out, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
                usleep(20_000)
            }
            if port == 0 { throw SandboxEndToEndTests.RunningSandbox.Failure(description: "the https test server did not start") }
        }

        deinit {
            // SIGKILL: a child may inherit a blocked SIGTERM from the test runner.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func aCertificateThatIsNotTrustedIsRefusedAndNothingIsStored() async throws {
        let server = try SelfSignedServer()
        let folder = server.folder
        let credentials = folder.appendingPathComponent("credentials").path
        let run = try await OMSyncBinary.run(["connect", "--credentials", credentials],
                                       environment: ["UNLEASHED_API_ID": "id", "UNLEASHED_API_KEY": "tls-key-not-secret",
                                                     "UNLEASHED_API_URL": "https://127.0.0.1:\(server.port)"])
        #expect(run.status != 0, "a self-signed certificate must not be accepted: \(run.output) \(run.errors)")
        #expect(run.errors.lowercased().contains("certificate") || run.errors.lowercased().contains("tls"), "says why: \(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: credentials), "nothing stored")
        #expect(!(run.output + run.errors).contains("tls-key-not-secret"))
    }

    @Test func noCommandOffersToSkipCertificateChecks() async throws {
        for command in ["import", "retry", "connect", "preview", "customers"] {
            let help = try await OMSyncBinary.run(["help", command]).output.lowercased()
            #expect(!help.isEmpty)
            for word in ["insecure", "no-verify", "skip-verify", "tls-verify", "certificate"] {
                #expect(!help.contains(word), "omsync \(command) offers \(word)")
            }
        }
    }

    @Test func plainHTTPToAHostThatIsNotLoopbackIsRefusedBeforeAnyConnection() async throws {
        let run = try await OMSyncBinary.run(["connect", "--credentials", "/nonexistent/credentials"],
                                       environment: ["UNLEASHED_API_ID": "id", "UNLEASHED_API_KEY": "k",
                                                     "UNLEASHED_API_URL": "http://192.0.2.77:8080"])
        #expect(run.status != 0)
        #expect(run.errors.contains("plain http://"), "\(run.errors)")
    }
}
