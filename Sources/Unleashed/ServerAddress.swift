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
        let fix = "set UNLEASHED_API_URL (or the credentials file's URL, `omsync connect`) to \(UnleashedCredentials.defaultBaseURL), "
            + "or http://127.0.0.1:PORT for a local sandbox; no call was made"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { throw .invalidConfiguration("the API URL '\(text)' is not an absolute URL with a host: \(fix).") }
        var extras: [String] = []
        if components.user != nil || components.password != nil { extras.append("a user or password") }
        if let query = components.query { extras.append("a query ('?\(query)')") }
        if let fragment = components.fragment { extras.append("a fragment ('#\(fragment)')") }
        guard extras.isEmpty else {
            throw .invalidConfiguration("the API URL '\(text)' carries \(extras.joined(separator: " and ")); it must be the API's base "
                + "address only (the signed query is omsync's own): \(fix).")
        }
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        switch scheme {
        case "https":
            break
        case "http":
            guard HostPolicy.isLoopback(bareHost) else {
                throw .invalidConfiguration(
                    "the API URL '\(text)' uses plain http:// for '\(bareHost)', a host that is not loopback (the key's signatures would cross the "
                        + "network unencrypted); use https:// (plain http is only for 127.0.0.0/8, localhost and ::1, i.e. the sandbox): \(fix).")
            }
        default:
            throw .invalidConfiguration("the API URL '\(text)' uses \(scheme)://; the API is reached over https:// (or http:// for a loopback sandbox): \(fix).")
        }
        var base = text
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.host = bareHost
    }
}
