#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Connection-level faults: a TCP reset, and "commit then drop" (close without a response).
enum ConnectionFault {
    /// Thrown after the connection is closed so that no response is written.
    struct Closed: Error {}

    /// Resets the connection (SO_LINGER 0, then close: the peer gets an RST), then throws `Closed`.
    static func reset(_ channel: any Channel) async throws -> Never {
        if let provider = channel as? any SocketOptionProvider {
            try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
        throw Closed()
    }

    /// Closes the connection without answering (the write already landed), then throws `Closed`.
    static func drop(_ channel: any Channel) async throws -> Never {
        try? await channel.close()
        throw Closed()
    }
}
