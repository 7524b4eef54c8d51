import Batch
import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the connection, which the faults
/// "connection reset" and "commit then drop" close, and the admin API checks for loopback.
public struct SandboxRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    public let channel: any Channel

    /// Made by Hummingbird for each request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// True when the peer is on this machine (127.0.0.0/8, ::1), or there is no socket (in-process tests).
    var isLoopback: Bool { Self.isLoopback(channel.remoteAddress) }

    /// True for a loopback peer address (`HostPolicy.isLoopback`: 127.0.0.0/8, ::1, also
    /// IPv4-mapped), a Unix socket, or no address at all.
    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let address else { return true }
        switch address {
        case .unixDomainSocket: return true
        default:
            guard let ip = address.ipAddress else { return false }
            return HostPolicy.isLoopback(ip)
        }
    }
}
