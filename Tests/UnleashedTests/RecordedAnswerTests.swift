import Batch
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport
@testable import Unleashed

/// The client reads every page and record recorded from the real Unleashed API
/// (`../shared/data/unleashed-real`, tiers A and B) without error: each file is served over HTTP,
/// byte for byte, and read through the client's own calls (sales orders, customers, products,
/// reference lists, and its generic page and record readers for the endpoints it has no call for).
///
/// Runs only where the recordings exist (they are not in the repository); elsewhere the suite is
/// skipped, and Swift Testing reports it as skipped with the reason below.
@Suite(.enabled(if: RecordedAnswers.available, "skipped: ../shared/data/unleashed-real (the recorded Unleashed answers) is not on this machine"))
struct RecordedAnswerTests {
    /// The files a client could be answered with (tier C files wrap pages in an outer array, an edit of the test author's).
    static let files = RecordedAnswers.files().filter { !$0.edited }

    @Test func thereAreRecordingsOfEveryKindTheClientReads() {
        for kind in [RecordedAnswers.Kind.salesOrders, .customers, .products, .warehouses] {
            #expect(!RecordedAnswers.files(kind).isEmpty, "no recording of \(kind)")
        }
    }

    @Test(arguments: files)
    func theClientReadsTheRecording(_ file: RecordedAnswers.File) async throws {
        let json = try file.json()
        let records = try file.records()
        let pages = json["Pagination"]?["NumberOfPages"]?.numberValue?.int ?? 1
        let replay = Replay(try file.bytes())
        try await Self.withClient(replay) { client in
            if try file.isPage() {
                // Every page is answered with the recorded one (later pages were not recorded).
                let expected = records.count * max(pages, 1)
                switch file.kind {
                case .salesOrders:
                    let orders = try await client.salesOrders(SalesOrderFilter())
                    #expect(orders.count == expected)
                    for order in orders { Self.expectReadable(order) }
                case .customers:
                    #expect(try await client.customers(codePrefix: nil, modifiedSince: nil).compactMap(\.guid).count == expected)
                case .products:
                    #expect(try await client.products(codePrefix: nil, modifiedSince: nil).compactMap(\.guid).count == expected)
                case .warehouses:
                    #expect(try await client.list(.warehouses, modifiedSince: nil).compactMap(\.guid).count == expected)
                case .other:
                    #expect(try await client.allPages("/Other", query: []).count == expected)
                }
            } else {
                // One record per answer (a file holding a bare array is its records one by one).
                for record in records {
                    replay.body = Array(JSONValue.object(record).serialized().utf8)
                    if json.arrayValue == nil { replay.body = try file.bytes() }
                    let guid = try #require(record["Guid"]?.stringValue)
                    switch file.kind {
                    case .salesOrders:
                        let order = try #require(try await client.salesOrder(guid: guid))
                        #expect(order.guid == guid)
                        Self.expectReadable(order)
                    case .customers:
                        #expect(try await client.customer(guid: guid)?.guid == guid)
                    case .products:
                        #expect(try await client.product(guid: guid)?.guid == guid)
                    case .warehouses, .other:
                        #expect(try await client.getRecord("/Other/\(guid)")?["Guid"]?.stringValue == guid)
                    }
                }
            }
        }
        // Every date in it reads with the client's date reader, escaped on the wire or not.
        Self.walkStrings(json) { text in
            guard text.hasPrefix("/Date(") else { return }
            #expect(DotNetDate.parse(text) != nil, "\(text)")
        }
    }

    /// What the push stage reads of an order is there.
    static func expectReadable(_ order: SalesOrder) {
        #expect(order.orderNumber != nil)
        #expect(order.status != nil, "status \(order.statusText ?? "none")")
        #expect(order.lastModifiedOn != nil)
        #expect(order.customerCode != nil)
        #expect(order.warehouseCode != nil)
    }

    static func walkStrings(_ value: JSONValue, _ visit: (String) -> Void) {
        switch value {
        case .string(let text): visit(text)
        case .array(let items): for item in items { walkStrings(item, visit) }
        case .object(let object): for (_, item) in object { walkStrings(item, visit) }
        default: break
        }
    }

    /// Answers every request with `body` (200, JSON), whatever it asks.
    final class Replay: HTTPResponder, @unchecked Sendable {
        typealias Context = BasicRequestContext
        private let lock = NSLock()
        private var current: [UInt8]

        init(_ body: [UInt8]) { current = body }

        var body: [UInt8] {
            get { lock.withLock { current } }
            set { lock.withLock { current = newValue } }
        }

        func respond(to request: Request, context: Context) async throws -> Response {
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// A client pointed at a live `replay` on a free loopback port.
    static func withClient(_ replay: Replay, _ body: @Sendable (UnleashedClient) async throws -> Void) async throws {
        let application = Application(responder: replay, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { server in
            let settings = UnleashedConfiguration(
                credentials: UnleashedCredentials(apiID: "replay", apiKey: APIKey("replay-key"), baseURL: "http://127.0.0.1:\(server.port ?? 0)"),
                sleep: { _ in })
            let client = try UnleashedClient(configuration: settings)
            do { try await body(client) } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
        }
    }
}
