import Batch
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Answers every request to the receiver (no router, no request logging: the path holds the
/// token, and nothing here logs a path, a header or a body).
///
/// - `POST /ordermentum/webhook/TOKEN`: the token compared in constant time, then the body read
///   up to `maxBody` bytes (a larger `Content-Length` is 413 before reading), parsed, written
///   into the inbox, and only then answered 200 `{"accepted": n, "duplicates": m}`.
/// - Wrong token, or any other path: 404 with an empty body (the two cannot be told apart).
/// - Another method on `/ordermentum/webhook/…`: 405 (before the token is looked at).
/// - A body that is not JSON or not an order: 400 `{"error": reason}`, the body kept in `refused/`.
/// - The inbox cannot be written: 503, so the sender delivers again.
struct WebhookResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    static let prefix = "/ordermentum/webhook/"

    let token: WebhookToken
    let inbox: WebhookInbox
    let maxBody: Int
    let logger: Logger
    let onAccepted: @Sendable () -> Void

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix(Self.prefix) else { return Self.notFound }
        guard request.method == .post else {
            var answer = Self.json(.methodNotAllowed) { $0.key("error"); $0.string("use POST") }
            answer.headers[.allow] = "POST"
            return answer
        }
        guard token.matches(path.dropFirst(Self.prefix.count)) else {
            logger.notice("webhook: a request with a wrong token was answered 404")
            return Self.notFound
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBody { return tooLarge() }
        let body: [UInt8]
        do {
            body = Array(try await request.body.collect(upTo: maxBody).readableBytesView)
        } catch is NIOTooManyBytesError {
            return tooLarge()
        } catch {
            return Self.json(.badRequest) { $0.key("error"); $0.string("the body could not be read") }
        }
        let orders: [WebhookOrder]
        do {
            orders = try WebhookDelivery.orders(in: body)
        } catch {
            let kept = await inbox.refuse(body, reason: error.reason)
            logger.warning("webhook: delivery refused (400)", metadata: ["reason": "\(error.reason)", "kept": "\(kept ?? "not kept")"])
            return Self.json(.badRequest) { $0.key("error"); $0.string(error.reason) }
        }
        let outcome: WebhookInbox.Outcome
        do {
            outcome = try await inbox.accept(orders)
        } catch {
            logger.error("webhook: cannot store a delivery, answered 503", metadata: ["error": "\(error.reason)"])
            return Self.json(.serviceUnavailable) { $0.key("error"); $0.string("the delivery could not be stored; send it again") }
        }
        if let file = outcome.file {
            logger.info("webhook: delivery written", metadata: [
                "file": "\(file)", "accepted": "\(outcome.accepted)", "duplicates": "\(outcome.duplicates)"])
            onAccepted()
        } else {
            logger.info("webhook: duplicate delivery dropped", metadata: ["duplicates": "\(outcome.duplicates)"])
        }
        return Self.json(.ok) { writer in
            writer.key("accepted"); writer.int(outcome.accepted)
            writer.key("duplicates"); writer.int(outcome.duplicates)
            if outcome.file == nil { writer.key("status"); writer.string("duplicate") }
        }
    }

    func tooLarge() -> Response {
        Self.json(.contentTooLarge) { $0.key("error"); $0.string("the body is larger than \(maxBody) bytes") }
    }

    /// 404, empty: for a wrong token as for a path that does not exist.
    static var notFound: Response { Response(status: .notFound, headers: [.cacheControl: "no-store"], body: ResponseBody()) }

    /// A small JSON object answer.
    static func json(_ status: HTTPResponse.Status, _ members: (inout JSONWriter) -> Void) -> Response {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        members(&writer)
        writer.endObject()
        writer.newline()
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }
}
