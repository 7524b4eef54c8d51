import Batch
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The Ordermentum webhook receiver (issue 20; docs/intake.md, "Webhooks"): accepts
/// `POST /ordermentum/webhook/TOKEN` and writes each delivery durably into the inbox `omsync
/// watch` imports from, before answering 2xx. See `WebhookResponder` for the answers and
/// `WebhookInbox` for the files.
public struct WebhookReceiver: Sendable {
    /// The inbox directory (must exist).
    public let inbox: URL
    /// The largest body accepted, in bytes (10 MiB by default); larger is 413.
    public let maxBody: Int
    /// How many delivered (id, `updatedAt`) versions the journal remembers (100,000 by default;
    /// 65 bytes each on disk, at most twice that before it is compacted).
    public let journalCapacity: Int
    let token: WebhookToken
    let logger: Logger

    public init(inbox: URL, token: WebhookToken, maxBody: Int = 10 << 20, journalCapacity: Int = 100_000, logger: Logger) {
        self.inbox = inbox
        self.token = token
        self.maxBody = maxBody
        self.journalCapacity = journalCapacity
        self.logger = logger
    }

    /// Refuses an address that is not loopback (`HostPolicy.isLoopback`) unless `allowNonLoopback`.
    public static func checkListenAddress(_ host: String, allowNonLoopback: Bool) throws(WebhookError) {
        guard allowNonLoopback || HostPolicy.isLoopback(host) else {
            throw WebhookError("--listen \(host): the webhook receiver listens on a loopback address (127.0.0.1, ::1, localhost); "
                               + "put an HTTPS reverse proxy in front of it, or allow another address explicitly")
        }
    }

    /// Loads the inbox's journal, binds `host`:`port` (0: a free port, given to `onListening`)
    /// and serves until the task is cancelled: then it stops gracefully (no new connections; a
    /// delivery in flight is written and answered) and returns. `onAccepted` is called after each
    /// delivery that wrote a batch file (so a watch loop can start its cycle at once). Throws
    /// before binding for an address that is not loopback (unless `allowNonLoopback`) or an
    /// unusable inbox.
    public func run(host: String, port: Int, allowNonLoopback: Bool = false,
                    onListening: @escaping @Sendable (Int) -> Void = { _ in },
                    onAccepted: @escaping @Sendable () -> Void = {}) async throws {
        try Self.checkListenAddress(host, allowNonLoopback: allowNonLoopback)
        let inbox = try WebhookInbox(directory: inbox.path, journalCapacity: journalCapacity, logger: logger)
        // `[::1]` as written in an address names the host `::1`.
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let app = application(inbox: inbox, host: bare, port: port, onListening: onListening, onAccepted: onAccepted)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        // The group runs in a task of its own, so the caller's cancellation reaches it as a
        // graceful shutdown rather than as a cancellation (which drops requests in flight).
        let serving = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await serving.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    func application(inbox: WebhookInbox, host: String, port: Int,
                     onListening: @escaping @Sendable (Int) -> Void = { _ in },
                     onAccepted: @escaping @Sendable () -> Void = {}) -> some ApplicationProtocol {
        Application(
            responder: WebhookResponder(token: token, inbox: inbox, maxBody: maxBody, logger: logger, onAccepted: onAccepted),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "omsync-webhook"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
