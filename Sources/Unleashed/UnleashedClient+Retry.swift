import Batch
import Foundation

/// What the retry loop does with one answer.
enum Verdict<Value: Sendable>: Sendable {
    /// The call is over.
    case done(Value)
    /// Try again (after `retryAfter` when Unleashed said how long, else after the backoff).
    case retry(reason: String, outcomeUnknown: Bool, retryAfter: Duration?)
}

extension UnleashedClient {
    /// Sends `call` until `interpret` is done with an answer or the attempts are spent.
    ///
    /// Before every retry that follows a failure whose outcome is unknown, `recover` (when given)
    /// asks Unleashed whether the earlier attempt landed; a value from it ends the call. It is also
    /// asked once after the last attempt. `interpret` gets each answer, the attempt number and
    /// whether an earlier attempt may have landed.
    func perform<Value: Sendable>(
        _ call: APICall,
        recover: (@Sendable () async throws(UnleashedError) -> Value?)? = nil,
        interpret: (APIAnswer, _ attempt: Int, _ earlierMayHaveLanded: Bool) async throws(UnleashedError) -> Verdict<Value>
    ) async throws(UnleashedError) -> Value {
        let policy = configuration.retry
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.callDeadline
        var mayHaveLanded = false
        var lastReason = "no attempt made"
        var attempts = 0
        var wait: Duration?
        var generator = SystemRandomNumberGenerator()
        func givingUp(_ why: String) -> UnleashedError {
            .unavailable(endpoint: call.endpoint, reason: "\(lastReason); \(why) (\(attempts) attempt\(attempts == 1 ? "" : "s"))",
                         outcomeUnknown: mayHaveLanded)
        }
        for number in 1...policy.maxAttempts {
            if number > 1, configuration.stopRequested() { throw givingUp("not retried: the run is stopping") }
            if number > 1 {
                let delay = wait ?? policy.delay(beforeRetry: number - 1, using: &generator)
                guard clock.now + delay < deadline else {
                    throw givingUp("no time left for another attempt within the call's deadline of \(Self.seconds(configuration.callDeadline)) (--call-timeout)")
                }
                do { try await configuration.sleep(delay) } catch {
                    throw .unavailable(endpoint: call.endpoint, reason: "cancelled after \(lastReason)", outcomeUnknown: mayHaveLanded)
                }
                if mayHaveLanded, let recover, let found = try await recover() { return found }
            }
            wait = nil
            attempts = number
            switch try await attempt(call, number: number, until: min(clock.now + configuration.requestTimeout, deadline)) {
            case .noAnswer(let reason, let unknown):
                lastReason = reason
                mayHaveLanded = mayHaveLanded || (unknown && !call.isRead)
                if Task.isCancelled { throw .unavailable(endpoint: call.endpoint, reason: reason, outcomeUnknown: mayHaveLanded) }
            case .answer(let answer):
                switch try await interpret(answer, number, mayHaveLanded) {
                case .done(let value):
                    return value
                case .retry(let reason, let unknown, let retryAfter):
                    lastReason = reason
                    mayHaveLanded = mayHaveLanded || (unknown && !call.isRead)
                    wait = retryAfter
                }
            }
        }
        if mayHaveLanded, !configuration.stopRequested(), let recover, let found = try? await recover() { return found }
        throw givingUp("every retry spent")
    }

    /// The common reading of an answer: 2xx → `success`; 3xx → `.invalidConfiguration` (a
    /// redirect is never followed); 429 → retry after `Retry-After`, or `.quotaExceeded`;
    /// 5xx → retry; 403 → `.authentication`; any other → `.refused`.
    func standardVerdict<Value: Sendable>(_ answer: APIAnswer, _ call: APICall,
                                          success: (APIAnswer) throws(UnleashedError) -> Value) throws(UnleashedError) -> Verdict<Value> {
        switch answer.status {
        case 200..<300:
            return .done(try success(answer))
        case 300..<400:
            throw redirected(answer, call)
        case 429:
            let description = answer.unleashedDescription ?? answer.text
            let retryAfter = answer.retryAfterSeconds.map { Duration.seconds($0) }
            if description.hasPrefix("API quota exceeded") || (retryAfter.map { $0 > configuration.retry.maxRetryAfter } ?? false) {
                throw .quotaExceeded(description: description, resetsAt: quotaResetDate(description: description, retryAfter: answer.retryAfterSeconds))
            }
            return .retry(reason: "HTTP 429 \(description)", outcomeUnknown: false, retryAfter: retryAfter)
        case 500..<600:
            return .retry(reason: "HTTP \(answer.status)\(answer.unleashedDescription.map { " \($0)" } ?? "")", outcomeUnknown: true, retryAfter: nil)
        case 403:
            throw .authentication(endpoint: call.endpoint, description: answer.unleashedDescription)
        default:
            throw .refused(endpoint: call.endpoint, status: answer.status, description: answer.unleashedDescription, body: answer.text)
        }
    }

    /// A 3xx answer: where it pointed, that redirects are never followed, and what to do.
    /// Not retried (every attempt would meet it); a write's outcome is unknown (the create's
    /// owner asks Unleashed for its GUID before repeating it).
    func redirected(_ answer: APIAnswer, _ call: APICall) -> UnleashedError {
        let target = answer.location.map { "a redirect to '\($0)'" } ?? "a redirect without a Location"
        let write = call.isRead ? "" : "; whether this write was applied is unknown, so omsync asks for the order's GUID before repeating it"
        return .invalidConfiguration(
            "\(call.endpoint) at \(address.base) was answered HTTP \(answer.status), \(target). omsync never follows redirects "
                + "(they would carry the signed request to another address)\(write). Set UNLEASHED_API_URL to the address the API "
                + "answers at itself (Unleashed is \(UnleashedCredentials.defaultBaseURL)).")
    }

    /// When the monthly quota resets: the moment the Description names (`… resets at 2026-12-01T00:00:00.000Z.`),
    /// else now + `Retry-After`, else 00:00 UTC on the 1st of next month (Unleashed's documented reset).
    func quotaResetDate(description: String, retryAfter: Int?) -> Date? {
        if let range = description.range(of: "resets at ") {
            let stamp = description[range.upperBound...].prefix { $0 != " " }
            let trimmed = stamp.hasSuffix(".") ? String(stamp.dropLast()) : String(stamp)
            if let ms = DotNetDate.parseISO(trimmed) { return Date(timeIntervalSince1970: TimeInterval(ms) / 1000) }
        }
        if let retryAfter { return configuration.now().addingTimeInterval(TimeInterval(retryAfter)) }
        return CallQuota.resetDate(after: configuration.now())
    }

    /// Parses a 2xx body as JSON.
    static func json(_ answer: APIAnswer, _ call: APICall) throws(UnleashedError) -> JSONValue {
        do { return try JSONValue.parse(answer.body) } catch {
            throw .badResponse(endpoint: call.endpoint, reason: "the body is not JSON (\(error)): \(answer.text.prefix(200))")
        }
    }
}
