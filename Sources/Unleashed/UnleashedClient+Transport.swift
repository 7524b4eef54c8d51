import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension UnleashedClient {
    /// The largest response body read (a page of 1000 orders fits many times over).
    static let maxResponseBytes = 256 * 1024 * 1024

    /// Sends `call` once: our budget first (refused before sending), then pacing, then the meter, then the wire.
    func attempt(_ call: APICall, number: Int) async throws(UnleashedError) -> AttemptOutcome {
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
        let outcome = await send(call)
        var metadata: Logger.Metadata = [
            "method": "\(call.method.rawValue)", "endpoint": "\(endpoint)", "path": "\(call.path)", "attempt": "\(number)",
            "elapsed": "\(ContinuousClock.now - started)",
        ]
        switch outcome {
        case .answer(let answer): metadata["status"] = "\(answer.status)"
        case .noAnswer(let reason, _): metadata["failure"] = "\(reason)"
        }
        configuration.logger.debug("unleashed call", metadata: metadata)
        if case .noAnswer(let reason, _) = outcome, Self.isUntrustedCertificate(reason) {
            // Not a fault that passes: every retry would meet the same certificate.
            throw .invalidConfiguration("the TLS certificate of \(address.base) could not be verified (\(reason)). omsync checks "
                + "every certificate against the system's trust store and has no option to skip the check: check UNLEASHED_API_URL "
                + "(Unleashed is https://api.unleashedsoftware.com), or the machine's CA certificates")
        }
        return outcome
    }

    /// The signed request on the wire; transport failures become `.noAnswer`.
    private func send(_ call: APICall) async -> AttemptOutcome {
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
        do {
            let response = try await http.execute(request, timeout: Self.timeAmount(configuration.requestTimeout))
            let body = try await response.body.collect(upTo: Self.maxResponseBytes)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return .answer(APIAnswer(status: Int(response.status.code), body: Array(buffer: body), retryAfterSeconds: retryAfter))
        } catch {
            return Self.classify(error)
        }
    }

    /// Whether a transport failure is a certificate that did not verify (NIOSSL's handshake
    /// failure; matched on its text so this target needs no NIOSSL import).
    static func isUntrustedCertificate(_ reason: String) -> Bool {
        reason.contains("CERTIFICATE_VERIFY_FAILED") || reason.contains("handshakeFailed")
    }

    /// Names a transport failure and says whether the request may have been applied.
    static func classify(_ error: any Error) -> AttemptOutcome {
        if let failure = error as? HTTPClientError {
            if failure == .connectTimeout { return .noAnswer(reason: "connect timeout", outcomeUnknown: false) }
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
