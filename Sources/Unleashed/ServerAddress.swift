import Batch
import Foundation

/// The API's base URL, checked: `https://` for any host, plain `http://` only for a loopback host
/// (`HostPolicy.isLoopback`: 127.0.0.0/8, `localhost`, `::1`), which is how the sandbox is reached.
struct ServerAddress: Sendable, Hashable {
    /// `https://api.unleashedsoftware.com` or `http://127.0.0.1:41234`, with any path prefix, no trailing `/`.
    let base: String
    /// The host name or address as written (IPv6 without brackets).
    let host: String

    init(_ text: String) throws(UnleashedError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { throw .invalidConfiguration("the API URL '\(text)' is not an absolute URL (use https://api.unleashedsoftware.com).") }
        guard components.user == nil, components.password == nil, components.query == nil, components.fragment == nil else {
            throw .invalidConfiguration("the API URL '\(text)' must not carry a user, password, query or fragment.")
        }
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        switch scheme {
        case "https":
            break
        case "http":
            guard HostPolicy.isLoopback(bareHost) else {
                throw .invalidConfiguration(
                    "the API URL '\(text)' uses plain http:// for a host that is not loopback; use https:// (plain http is only for 127.0.0.0/8, localhost and ::1, i.e. the sandbox).")
            }
        default:
            throw .invalidConfiguration("the API URL '\(text)' must start with https:// (or http:// for a loopback sandbox).")
        }
        var base = text
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.host = bareHost
    }
}
