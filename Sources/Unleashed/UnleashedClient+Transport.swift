import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

extension UnleashedClient {
    /// The largest response body read (a page of 1000 orders fits many times over).
    static let maxResponseBytes = 256 * 1024 * 1024

    /// Sends `call` once, to be over by `deadline`: our budget first (refused before sending),
    /// then pacing, then the meter, then the wire.
    func attempt(_ call: APICall, number: Int, until deadline: ContinuousClock.Instant) async throws(UnleashedError) -> AttemptOutcome {
        let endpoint = call.endpoint
        if let used = calls.admit(endpoint, quota: configuration.quota), let quota = configuration.quota {
            throw .budgetExhausted(used: used, limit: quota.limit, resetsAt: CallQuota.resetDate(after: configuration.now()))
        }
        configuration.onCall(endpoint)
        if let bucket {
            do { try await bucket.acquire() } catch {
                return .noAnswer(reason: "cancelled while waiting for the call rate", outcomeUnknown: false)
            }
        }
        let started = ContinuousClock.now
        let outcome = await send(call, until: deadline)
        var metadata: Logger.Metadata = [
            "method": "\(call.method.rawValue)", "endpoint": "\(endpoint)", "path": "\(call.path)", "attempt": "\(number)",
            "elapsed": "\(ContinuousClock.now - started)",
        ]
        switch outcome {
        case .answer(let answer): metadata["status"] = "\(answer.status)"
        case .noAnswer(let reason, _): metadata["failure"] = "\(reason)"
        }
        if case .noAnswer = outcome {
            metadata["host"] = "\(address.base)"
            configuration.logger.warning("unleashed call failed", metadata: metadata)
        } else {
            configuration.logger.debug("unleashed call", metadata: metadata)
        }
        if case .noAnswer(let reason, _) = outcome, Self.isPlainHTTP(reason) {
            throw .invalidConfiguration("\(address.base) answered without TLS: the server does not speak TLS (HTTPS) on this port (\(reason)); "
                + "use http:// for a local sandbox (UNLEASHED_API_URL), https:// for Unleashed (\(UnleashedCredentials.defaultBaseURL))")
        }
        if case .noAnswer(let reason, _) = outcome, Self.isUntrustedCertificate(reason) {
            // Not a fault that passes: every retry would meet the same certificate.
            throw .invalidConfiguration("the TLS certificate of \(address.base) could not be verified (\(reason)). omsync checks "
                + "every certificate against the system's trust store and has no option to skip the check: check UNLEASHED_API_URL "
                + "(Unleashed is https://api.unleashedsoftware.com), or the machine's CA certificates")
        }
        return outcome
    }

    /// The signed request on the wire, the answer read whole by `deadline` (AsyncHTTPClient's own
    /// deadline ends at the response head, and its read timeout restarts with every byte: a
    /// server trickling its body would hold the call without limit). Transport failures become `.noAnswer`.
    private func send(_ call: APICall, until deadline: ContinuousClock.Instant) async -> AttemptOutcome {
        let query = call.encodedQuery
        var request = HTTPClientRequest(url: address.base + call.path + (query.isEmpty ? "" : "?" + query))
        request.method = call.method
        request.headers.add(name: "api-auth-id", value: configuration.credentials.apiID)
        request.headers.add(name: "api-auth-signature",
                            value: RequestSigner.signature(query: call.signedQuery, key: configuration.credentials.apiKey))
        request.headers.add(name: "client-type", value: configuration.clientType)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body = call.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let limit = deadline - ContinuousClock.now
        guard limit > .zero else { return .noAnswer(reason: "not sent: the call's deadline had passed", outcomeUnknown: false) }
        let head = HeadSeen()
        let http = self.http
        let prepared = request
        do {
            return try await withThrowingTaskGroup(of: AttemptOutcome?.self) { group in
                group.addTask {
                    let response = try await http.execute(prepared, deadline: .now() + Self.timeAmount(limit))
                    head.status.withLock { $0 = Int(response.status.code) }
                    let body = try await response.body.collect(upTo: Self.maxResponseBytes)
                    let retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    return .answer(APIAnswer(status: Int(response.status.code), body: Array(buffer: body), retryAfterSeconds: retryAfter,
                                             location: response.headers.first(name: "Location")))
                }
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first ?? timedOut(limit: limit, head: head.status.withLock { $0 })
            }
        } catch let error as HTTPClientError where error == .connectTimeout {
            return .noAnswer(reason: "\(address.base): no connection within \(Self.seconds(configuration.connectTimeout))", outcomeUnknown: false)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return timedOut(limit: limit, head: head.status.withLock { $0 })
        } catch {
            return Self.classify(error)
        }
    }

    /// An attempt cut off at its deadline: which server, how long, and how far it got.
    private func timedOut(limit: Duration, head: Int?) -> AttemptOutcome {
        let what = head.map { "its answer (HTTP \($0)) was still arriving" }
            ?? "it accepted the connection but sent no answer"
        return .noAnswer(reason: "\(address.base) timed out after \(Self.seconds(limit)): \(what)", outcomeUnknown: true)
    }

    /// Whether a TLS handshake failed because the server answered in plain text (`https://` to
    /// an `http://` port: BoringSSL's `WRONG_VERSION_NUMBER`, or it saw an HTTP request's bytes).
    static func isPlainHTTP(_ reason: String) -> Bool {
        reason.contains("WRONG_VERSION_NUMBER") || reason.contains("HTTP_REQUEST") || reason.contains("PACKET_LENGTH_TOO_LONG")
    }

    /// Whether a transport failure is a certificate that did not verify (NIOSSL's handshake
    /// failure; matched on its text so this target needs no NIOSSL import).
    static func isUntrustedCertificate(_ reason: String) -> Bool {
        reason.contains("CERTIFICATE_VERIFY_FAILED") || reason.contains("handshakeFailed")
    }

    /// Names a transport failure and says whether the request may have been applied.
    static func classify(_ error: any Error) -> AttemptOutcome {
        if let failure = error as? HTTPClientError {
            if failure == .connectTimeout { return .noAnswer(reason: "connect timeout (no connection)", outcomeUnknown: false) }
            if failure == .deadlineExceeded || failure == .readTimeout || failure == .writeTimeout {
                return .noAnswer(reason: "timeout", outcomeUnknown: true)
            }
            if failure == .remoteConnectionClosed { return .noAnswer(reason: "connection dropped without a response", outcomeUnknown: true) }
            if failure == .cancelled { return .noAnswer(reason: "cancelled", outcomeUnknown: true) }
            return .noAnswer(reason: "\(failure)", outcomeUnknown: true)
        }
        if let io = error as? IOError {
            if io.errnoCode == ECONNRESET { return .noAnswer(reason: "connection reset", outcomeUnknown: true) }
            if io.errnoCode == ECONNREFUSED { return .noAnswer(reason: "connection refused", outcomeUnknown: false) }
            return .noAnswer(reason: "I/O error \(io.errnoCode)", outcomeUnknown: true)
        }
        if error is CancellationError { return .noAnswer(reason: "cancelled", outcomeUnknown: true) }
        if error is NIOTooManyBytesError { return .noAnswer(reason: "response larger than \(maxResponseBytes) bytes", outcomeUnknown: true) }
        return .noAnswer(reason: String(describing: error), outcomeUnknown: true)
    }
}

/// The status of an answer whose head arrived (for the message of an attempt cut off mid-body).
private final class HeadSeen: Sendable {
    let status = Mutex<Int?>(nil)
}
