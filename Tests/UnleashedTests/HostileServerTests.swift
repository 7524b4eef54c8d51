import Batch
import Foundation
import Testing
import Unleashed

/// Issue 21: servers that trickle, stay silent, redirect, lie about the GUID or speak no TLS,
/// and API URLs that can never work. Real sockets (`HostileServer`), small deadlines.
@Suite struct HostileServerTests {
    static let ours = "6b1c1d1e-0000-4000-8000-00000000a001"
    static let zeros = "00000000-0000-0000-0000-000000000000"

    /// A client for `url` whose backoff sleeps are not waited (the deadlines are real time).
    static func client(_ url: String, adjust: (inout UnleashedConfiguration) -> Void = { _ in }) throws -> UnleashedClient {
        var settings = UnleashedConfiguration(
            credentials: UnleashedCredentials(apiID: "id", apiKey: APIKey("key"), baseURL: url),
            sleep: { _ in })
        adjust(&settings)
        return try UnleashedClient(configuration: settings)
    }

    /// Runs `body`, returning what it threw (nil when it returned) and how long it took.
    static func timed(_ body: () async throws -> Void) async -> (error: UnleashedError?, seconds: Double) {
        let started = Date()
        var failure: UnleashedError?
        do { try await body() } catch { failure = error as? UnleashedError }
        return (failure, Date().timeIntervalSince(started))
    }

    @Test func aTrickledAnswerIsCutOffAtTheCallsDeadline() async throws {
        // The head at once, then one byte every 100 ms: the read timeout never fires.
        let server = try HostileServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            let until = Date().addingTimeInterval(120)
            while Date() < until, connection.write(" ") { Thread.sleep(forTimeInterval: 0.1) }
        }
        defer { server.stop() }
        let client = try Self.client(server.url) { $0.callDeadline = .milliseconds(1500) }
        let (error, seconds) = await Self.timed { _ = try await client.list(.currencies, modifiedSince: nil) }
        await client.shutdown()
        // Bounded by the deadline, not by the server (120 s); generous, as the whole suite may be running.
        #expect(seconds < 60, "the call took \(seconds) s")
        guard case .unavailable(let endpoint, let reason, _)? = error else { Issue.record("not unavailable: \(String(describing: error))"); return }
        #expect(endpoint == "GET /Currencies")
        #expect(reason.contains(server.url) && reason.contains("still arriving") && reason.contains("deadline"), "\(reason)")
    }

    @Test func aSilentServerIsCutOffAtTheCallsDeadlineNamingHostAndCall() async throws {
        let server = try HostileServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.waitForClose(seconds: 120)
        }
        defer { server.stop() }
        let client = try Self.client(server.url) { $0.callDeadline = .milliseconds(1500) }
        let (error, seconds) = await Self.timed { _ = try await client.list(.taxes, modifiedSince: nil) }
        await client.shutdown()
        // Bounded by the deadline, not by the server (120 s); generous, as the whole suite may be running.
        #expect(seconds < 60, "the call took \(seconds) s")
        let text = error.map { "\($0)" } ?? "no error"
        #expect(text.contains("GET /Taxes") && text.contains(server.url) && text.contains("sent no answer"), "\(text)")
        #expect(text.contains("call's deadline of 1.5 s"), "\(text)")
    }

    @Test func aSilentCreateIsAnUnknownOutcomeWithinTheDeadline() async throws {
        let server = try HostileServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.waitForClose(seconds: 120)
        }
        defer { server.stop() }
        let client = try Self.client(server.url) {
            $0.callDeadline = .seconds(1)
            $0.retry = RetryPolicy(maxAttempts: 1)
        }
        let (error, seconds) = await Self.timed { _ = try await client.createSalesOrder(guid: Self.ours, body: Array(#"{"OrderNumber":"SO-1"}"#.utf8)) }
        await client.shutdown()
        // Bounded by the deadline, not by the server (120 s); generous, as the whole suite may be running.
        #expect(seconds < 60, "the call took \(seconds) s")
        guard case .unavailable(_, _, let unknown)? = error else { Issue.record("not unavailable: \(String(describing: error))"); return }
        #expect(unknown, "a create cut off by its deadline may have landed")
    }

    @Test func aStoppingClientMakesNoRetry() async throws {
        // Every connection dropped without an answer: retried six times, unless the run is stopping.
        let server = try HostileServer { connection in _ = connection.readRequest() }
        defer { server.stop() }
        let client = try Self.client(server.url) { $0.stopRequested = { true } }
        let (error, _) = await Self.timed { _ = try await client.list(.taxes, modifiedSince: nil) }
        await client.shutdown()
        #expect("\(error.map { "\($0)" } ?? "")".contains("not retried: the run is stopping"))
        #expect(server.connections == 1)
    }

    static func redirecting() throws -> HostileServer {
        try HostileServer { connection in
            while connection.readRequest() != nil {
                guard connection.answer("302 Found", json: "", headers: "Location: https://elsewhere.example/api\r\n") else { return }
            }
        }
    }

    @Test func aRedirectOnAReadSaysWhereToAndThatRedirectsAreNeverFollowed() async throws {
        let server = try Self.redirecting()
        defer { server.stop() }
        let client = try Self.client(server.url)
        let (error, _) = await Self.timed { _ = try await client.list(.currencies, modifiedSince: nil) }
        await client.shutdown()
        guard case .invalidConfiguration(let text)? = error else { Issue.record("not a configuration problem: \(String(describing: error))"); return }
        #expect(text.contains("HTTP 302") && text.contains("https://elsewhere.example/api") && text.contains("never follows redirects"), "\(text)")
        #expect(server.connections == 1, "a redirect is not retried")
    }

    @Test func aCreateAnsweredWithARedirectIsNotARefusal() async throws {
        let server = try Self.redirecting()
        defer { server.stop() }
        let client = try Self.client(server.url)
        let (error, _) = await Self.timed { _ = try await client.createSalesOrder(guid: Self.ours, body: Array("{}".utf8)) }
        await client.shutdown()
        guard case .invalidConfiguration(let text)? = error else { Issue.record("not a configuration problem: \(String(describing: error))"); return }
        #expect(text.contains("POST /SalesOrders/{guid}") && text.contains("unknown"), "\(text)")
    }

    /// A server whose create answers name another order; `GET /SalesOrders/{ours}` answers `get`.
    static func lying(answer: String, get: String?) throws -> HostileServer {
        try HostileServer { connection in
            while let request = connection.readRequest() {
                let ok: Bool
                if request.head.hasPrefix("POST ") {
                    ok = connection.answer("201 Created", json: answer)
                } else if let get {
                    ok = connection.answer("200 OK", json: get)
                } else {
                    ok = connection.answer("404 Not Found", json: "{}")
                }
                if !ok { return }
            }
        }
    }

    @Test func aCreateAnswerWithAnotherGuidIsNotRecordedButAskedAbout() async throws {
        let server = try Self.lying(answer: #"{"Guid":"\#(Self.zeros)","OrderNumber":"SO-1","OrderStatus":"Parked"}"#, get: nil)
        defer { server.stop() }
        let client = try Self.client(server.url)
        let (error, _) = await Self.timed { _ = try await client.createSalesOrder(guid: Self.ours, body: Array(#"{"OrderNumber":"SO-1"}"#.utf8)) }
        await client.shutdown()
        guard case .badResponse(_, let reason)? = error else { Issue.record("trusted the answer: \(String(describing: error))"); return }
        #expect(reason.contains(Self.zeros) && reason.contains(Self.ours), "\(reason)")
        #expect(server.connections >= 1)
    }

    @Test func aCreateAnswerWithAnotherGuidIsSettledByGetOfOurs() async throws {
        let server = try Self.lying(answer: #"{"Guid":"\#(Self.zeros)","OrderNumber":"SO-1","OrderStatus":"Parked"}"#,
                                    get: #"{"Guid":"\#(Self.ours)","OrderNumber":"SO-1","OrderStatus":"Parked"}"#)
        defer { server.stop() }
        let client = try Self.client(server.url)
        let order = try await client.createSalesOrder(guid: Self.ours, body: Array(#"{"OrderNumber":"SO-1"}"#.utf8))
        await client.shutdown()
        #expect(order.guid == Self.ours)
        #expect(client.calls.snapshot()["GET /SalesOrders/{guid}"] == 1)
    }

    @Test func aCreateAnswerWithAnotherOrderNumberIsNotRecorded() async throws {
        let server = try Self.lying(answer: #"{"Guid":"\#(Self.ours)","OrderNumber":"SO-999","OrderStatus":"Parked"}"#, get: nil)
        defer { server.stop() }
        let client = try Self.client(server.url)
        let (error, _) = await Self.timed { _ = try await client.createSalesOrder(guid: Self.ours, body: Array(#"{"OrderNumber":"SO-1"}"#.utf8)) }
        await client.shutdown()
        guard case .badResponse(_, let reason)? = error else { Issue.record("trusted the answer: \(String(describing: error))"); return }
        #expect(reason.contains("SO-999") && reason.contains("SO-1"), "\(reason)")
    }

    @Test func httpsToAPlainHTTPPortSaysTheServerDoesNotSpeakTLS() async throws {
        let server = try HostileServer { connection in
            guard connection.readSome() != nil else { return }
            connection.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        }
        defer { server.stop() }
        // AsyncHTTPClient reports a failed handshake when its connect timeout ends: keep it short.
        let client = try Self.client("https://127.0.0.1:\(server.port)") { $0.connectTimeout = .seconds(2) }
        let (error, seconds) = await Self.timed { _ = try await client.list(.currencies, modifiedSince: nil) }
        await client.shutdown()
        #expect(seconds < 60, "\(seconds) s")
        guard case .invalidConfiguration(let text)? = error else { Issue.record("not a configuration problem: \(String(describing: error))"); return }
        #expect(text.contains("does not speak TLS (HTTPS) on this port") && text.contains("use http:// for a local sandbox"), "\(text)")
        #expect(!text.contains("certificate"), "\(text)")
    }

    @Test(arguments: [
        ("http://example.com", "not loopback"),
        ("ftp://api.example.com", "uses ftp://"),
        ("https://api.unleashedsoftware.com/?x=1", "a query ('?x=1')"),
        ("https://api.unleashedsoftware.com/#top", "a fragment ('#top')"),
    ])
    func aRefusedAPIURLSaysWhatIsWrongAndWhatToDo(url: String, says: String) throws {
        do {
            _ = try Self.client(url)
            Issue.record("\(url) was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains(says) && text.contains("UNLEASHED_API_URL") && text.contains("no call was made"), "\(text)")
        }
    }
}
