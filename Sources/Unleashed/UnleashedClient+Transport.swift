import AsyncHTTPClient
import Batch
import Foundation
import NIOCore
import NIOHTTP1

extension UnleashedClient {
    /// One API call to make.
    struct Call: Sendable {
        var method: HTTPMethod
        /// `/SalesOrders/3f…` or `/Warehouses/1`.
        var path: String
        /// The meter's name: `POST /SalesOrders/{guid}`.
        var endpoint: String
        var query: [(String, String)] = []
        var body: [UInt8]?
    }

    /// What Unleashed answered.
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
        var retryAfter: Double?
        var json: JSONValue? { try? JSONValue.parse(body) }
        var errorDescription: String? { json?["Description"]?.stringValue }
        var text: String { String(decoding: body.prefix(2000), as: UTF8.self) }
    }

    /// Sends `call`, retrying what may pass. For a write, `settle` is asked after every failure
    /// whose outcome is unknown (it returns an answer when the write is found to have landed).
    func perform(_ call: Call, settle: (@Sendable () async throws(UnleashedError) -> Answer?)? = nil) async throws(UnleashedError) -> Answer {
        let policy = configuration.retry
        var lastReason = "no attempt"
        var unknown = false
        for attempt in 1...max(1, policy.maxAttempts) {
            if attempt > 1, unknown, let settle, let landed = try await settle() { return landed }
            var wait: Duration? = nil
            do {
                let answer = try await send(call)
                switch answer.status {
                case 200..<300:
                    return answer
                case 403:
                    throw UnleashedError.authentication(endpoint: call.endpoint, description: answer.errorDescription)
                case 429:
                    let description = answer.errorDescription ?? "429 Too Many Requests"
                    let after = answer.retryAfter.map { Duration.milliseconds(Int64($0 * 1000)) }
                    if description.hasPrefix("API quota exceeded") || (after.map { $0 > policy.maxRetryAfter } ?? false) {
                        throw UnleashedError.quotaExceeded(description: description,
                                                           resetsAt: answer.retryAfter.map { configuration.now().addingTimeInterval($0) })
                    }
                    lastReason = "429: \(description)"
                    wait = after
                case 500 where (answer.errorDescription ?? "").contains("could not be parsed"):
                    throw UnleashedError.refused(endpoint: call.endpoint, status: 500, description: answer.errorDescription, body: answer.text)
                case 500..<600:
                    lastReason = "\(answer.status): \(answer.errorDescription ?? answer.text)"
                    unknown = unknown || call.method != .GET
                default:
                    throw UnleashedError.refused(endpoint: call.endpoint, status: answer.status,
                                                 description: answer.errorDescription, body: answer.text)
                }
            } catch let error as UnleashedError {
                guard case .unavailable(_, let reason, _) = error else { throw error }
                lastReason = reason
                unknown = unknown || call.method != .GET
            } catch {
                lastReason = "\(error)"
                unknown = unknown || call.method != .GET
            }
            if attempt == policy.maxAttempts { break }
            let delay = wait ?? backoff(attempt: attempt)
            logger.debug("retrying \(call.endpoint) in \(delay) after: \(lastReason)")
            do { try await configuration.sleep(delay) } catch { break }
        }
        if unknown, let settle, let landed = try await settle() { return landed }
        throw .unavailable(endpoint: call.endpoint, reason: lastReason, outcomeUnknown: unknown)
    }

    /// Full jitter: a random part of `base × 2^(attempt−1)`, at most `maxDelay`.
    func backoff(attempt: Int) -> Duration {
        let policy = configuration.retry
        let ceiling = min(policy.maxDelay.seconds, policy.baseDelay.seconds * pow(2, Double(attempt - 1)))
        return .milliseconds(Int64(Double.random(in: 0...ceiling) * 1000))
    }

    /// One attempt: the budget, the rate, the signature, the meter. Transport failures become
    /// `.unavailable` (outcome unknown).
    func send(_ call: Call) async throws(UnleashedError) -> Answer {
        if let quota = configuration.quota, quota.usedBefore + calls.total >= quota.limit {
            throw .budgetExhausted(used: quota.usedBefore + calls.total, limit: quota.limit, resetsAt: Self.nextMonth(configuration.now()))
        }
        if let limiter { await limiter.wait() }
        let decoded = call.query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let encoded = call.query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: base + call.path + (encoded.isEmpty ? "" : "?" + encoded))
        request.method = call.method
        request.headers.add(name: "api-auth-id", value: configuration.credentials.apiID)
        request.headers.add(name: "api-auth-signature", value: RequestSigner.signature(query: decoded, key: configuration.credentials.apiKey))
        request.headers.add(name: "client-type", value: configuration.clientType)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body = call.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        calls.record(call.endpoint)
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds))
            let buffer = try await response.body.collect(upTo: 64 << 20)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
            return Answer(status: Int(response.status.code), body: Array(buffer.readableBytesView), retryAfter: retryAfter)
        } catch {
            throw .unavailable(endpoint: call.endpoint, reason: Self.describe(error), outcomeUnknown: true)
        }
    }

    /// A transport error in words (never with headers, so never with the signature).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .remoteConnectionClosed: return "the connection was closed without an answer"
            case .readTimeout, .deadlineExceeded: return "no answer in time"
            case .connectTimeout: return "could not connect in time"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }

    /// Percent-encodes a query part (everything but unreserved characters).
    static func encode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// 00:00 UTC on the first of the month after `date`.
    static func nextMonth(_ date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let start = calendar.dateInterval(of: .month, for: date)?.end
        return start ?? date.addingTimeInterval(31 * 86_400)
    }
}
