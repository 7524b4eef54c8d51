import Batch
import Dispatch
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import Sandbox

/// What one fuzz input does to the sandbox's request handling (the `fuzz-sandbox` harness and
/// the replay test): in process, through `SandboxResponder`, no socket.
///
/// The input is `METHOD TARGET` on the first line and the body after it (`POST
/// /SalesOrders/GUID?x=1` then JSON), or, when the first line is not a request line, a body
/// sent as `POST /SalesOrders/<fixed GUID>` (so a pipeline payload is a seed as it is). The
/// query is signed with the sandbox's key, so requests get past authentication and reach the
/// routes, the query parsing and the body validation; a target starting with `!` is sent
/// unsigned. Faults are off (after an admin call the next input gets a fresh sandbox). Invariants: every answer has a status below 500 except the
/// documented 500 for a body that is not JSON, and its body is a JSON object.
public enum SandboxFuzzEntry {
    static let credentials = SandboxCredentials(apiId: "fuzz-api-id", apiKey: "fuzz-api-key")
    static let orderGuid = "6b1d6d2e-0000-4000-8000-000000000001"

    /// One sandbox for the process (built from the default seed), reset every 500 inputs so
    /// that what earlier inputs created does not pile up.
    nonisolated(unsafe) static var server: SandboxServer?
    nonisolated(unsafe) static var runs = 0

    /// Runs one input; the list of invariants it broke.
    public static func run(_ bytes: [UInt8]) -> [String] {
        let request = parse(bytes)
        let sandbox: SandboxServer
        if let existing = server, runs % 500 != 0 {
            sandbox = existing
        } else {
            do {
                sandbox = try SandboxServer(configuration: SandboxConfiguration(credentials: credentials))
            } catch {
                return ["harness: the sandbox does not start: \(error)"]
            }
            server = sandbox
        }
        runs += 1
        let outcome = Waiter<(status: Int, body: [UInt8], contentType: String?)?>()
        let responder = sandbox.responder
        Task {
            outcome.finish(try? await respond(responder, request))
        }
        // The admin API can turn faults or a quota on: the next input gets a fresh sandbox, so that
        // every input's answer depends on that input alone.
        if request.target.lowercased().hasPrefix("/_sandbox") { server = nil }
        guard let answer = outcome.wait() else { return ["the responder threw for \(request.method) \(request.target.prefix(120))"] }
        return check(answer, request: request)
    }

    /// The method, target and body of an input.
    static func parse(_ bytes: [UInt8]) -> (method: HTTPRequest.Method, target: String, body: [UInt8], signed: Bool) {
        let newline = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
        let first = String(decoding: bytes[..<newline], as: UTF8.self)
        let parts = first.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, let method = HTTPRequest.Method(String(parts[0])), parts[1].hasPrefix("/") || parts[1].hasPrefix("!/") {
            let body = newline < bytes.endIndex ? Array(bytes[(newline + 1)...]) : []
            let unsigned = parts[1].hasPrefix("!")
            return (method, String(unsigned ? parts[1].dropFirst() : parts[1]), body, !unsigned)
        }
        return (.post, "/SalesOrders/\(orderGuid)", bytes, true)
    }

    /// Sends the request to the responder and collects the answer.
    static func respond(_ responder: SandboxResponder, _ request: (method: HTTPRequest.Method, target: String, body: [UInt8], signed: Bool)) async throws
        -> (status: Int, body: [UInt8], contentType: String?) {
        let query = request.target.firstIndex(of: "?").map { String(request.target[request.target.index(after: $0)...]) } ?? ""
        var fields = HTTPFields()
        fields[HTTPField.Name("api-auth-id")!] = credentials.apiId
        if request.signed {
            fields[HTTPField.Name("api-auth-signature")!] = SignatureVerifier(apiKey: credentials.apiKey).signature(for: query)
        }
        fields[HTTPField.Name("client-type")!] = "ordermentum/omsync"
        fields[.contentType] = "application/json"
        fields[.accept] = "application/json"
        let head = HTTPRequest(method: request.method, scheme: "http", authority: "127.0.0.1", path: request.target, headerFields: fields)
        let hummingbirdRequest = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: request.body)))
        let channel = EmbeddedChannel()
        let context = SandboxRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: Logger(label: "fuzz")))
        let response = try await responder.respond(to: hummingbirdRequest, context: context)
        let collector = Collector()
        try await response.body.write(CollectingWriter(collector: collector))
        return (Int(response.status.code), collector.bytes, response.headers[.contentType])
    }

    /// The invariants of one answer.
    static func check(_ answer: (status: Int, body: [UInt8], contentType: String?),
                      request: (method: HTTPRequest.Method, target: String, body: [UInt8], signed: Bool)) -> [String] {
        var failures: [String] = []
        let what = "\(request.method) \(request.target.prefix(120))"
        let value = try? JSONValue.parse(answer.body)
        if value?.objectValue == nil {
            failures.append("\(what): \(answer.status) with a body that is not a JSON object: \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
        }
        if answer.status >= 500 {
            let description = value?["Description"]?.stringValue ?? ""
            if !(answer.status == 500 && description.hasPrefix("The request body could not be parsed as JSON")) {
                failures.append("\(what): \(answer.status) \(description.prefix(200))")
            }
        }
        return failures
    }
}
