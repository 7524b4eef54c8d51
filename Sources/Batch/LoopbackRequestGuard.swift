/// The one guard of omsync's local HTTP servers whose callers are on this machine: `omsync
/// serve`'s page and API, and the sandbox's admin API (`/_sandbox/`). Plain values in, a refusal
/// out, so both servers (and their tests) use exactly this rule.
///
/// A request is refused when:
/// - **Host** (421): its name is not this machine (`HostPolicy.isLoopback`), the `--host` the server
///   was started with, or the address the connection arrived on; or it names a port other than the
///   one the connection arrived on. This defeats DNS rebinding: a foreign name (`evil.example`)
///   made to resolve to 127.0.0.1 still arrives with that name. A `Host` without a port is taken
///   as this server's (some clients leave it out; a rebinding page cannot, as its name is foreign).
/// - **Origin** (403): it carries `Origin` (every browser write does) and that origin is not a page
///   of this server: `http://` + a loopback name, `--host` or the connection's address + `:` + the
///   port the connection arrived on (without a known port: the `Host`'s port). So a page opened at
///   `http://localhost:PORT` and one opened at `http://127.0.0.1:PORT` are both this server's;
///   `http://localhost:OTHER` (another local server's page), `null`, `https://…` are not.
/// - **Sec-Fetch-Site** (403): a browser says the request is `cross-site` or `same-site` (only
///   `same-origin` and `none`, a typed address, pass), for requests the caller marks `guarded`
///   (every API call and every write; a plain link to a page is not).
/// - **Content-Type** (415): a write (any method but GET, HEAD, OPTIONS) not sent as
///   `application/json`: an HTML form on another site can post only form or text bodies, and a
///   page cannot send JSON elsewhere without a CORS preflight, which these servers never grant.
public struct LoopbackRequestGuard: Sendable {
    /// The command that serves, for messages (`omsync serve`).
    public var server: String
    /// The host the server was told to bind (`--host`).
    public var boundHost: String

    /// A guard for `server` bound to `boundHost`.
    public init(server: String, boundHost: String) {
        self.server = server
        self.boundHost = boundHost
    }

    /// What the guard reads of a request.
    public struct Request: Sendable {
        public var method: String
        /// The `Host` header (or HTTP/2 `:authority`), as sent.
        public var host: String?
        public var origin: String?
        public var fetchSite: String?
        public var contentType: String?
        /// The IP address and port the connection arrived on; nil when unknown (no socket: tests).
        public var localAddress: String?
        public var localPort: Int?
        /// Whether a browser's cross-site mark refuses it (API calls and writes).
        public var guarded: Bool

        public init(method: String, host: String?, origin: String?, fetchSite: String?, contentType: String?,
                    localAddress: String?, localPort: Int?, guarded: Bool) {
            self.method = method
            self.host = host
            self.origin = origin
            self.fetchSite = fetchSite
            self.contentType = contentType
            self.localAddress = localAddress
            self.localPort = localPort
            self.guarded = guarded
        }
    }

    /// Why a request was refused: the HTTP status and a message saying what to do.
    public struct Refusal: Error, Sendable, Equatable {
        public var status: Int
        public var message: String
    }

    /// The refusal of `request`, or nil when it may go on.
    public func check(_ request: Request) -> Refusal? {
        let authority = request.host ?? ""
        guard let host = Self.authority(authority), isThisMachine(host.name, arrivedOn: request.localAddress) else {
            return Refusal(status: 421, message: "the host '\(authority)' is not this server's: open the address `\(server)` printed")
        }
        if let port = host.port, let local = request.localPort, port != local {
            return Refusal(status: 421, message: "the host '\(authority)' names port \(port), but this server listens on \(local): open the address `\(server)` printed")
        }
        let port = request.localPort ?? host.port
        if let origin = request.origin {
            guard origin.hasPrefix("http://"), let page = Self.authority(String(origin.dropFirst(7))),
                  isThisMachine(page.name, arrivedOn: request.localAddress), page.port == port || (page.port == nil && port == 80) else {
                let own = port.map { "http://localhost:\($0) or http://127.0.0.1:\($0)" } ?? "this server's own page"
                return Refusal(status: 403, message: "requests from another origin (\(origin)) are refused: only pages of \(own) may call it")
            }
        }
        if request.guarded, let site = request.fetchSite, site != "same-origin", site != "none" {
            return Refusal(status: 403, message: "cross-site requests (Sec-Fetch-Site: \(site)) are refused: use the page `\(server)` serves")
        }
        if !["GET", "HEAD", "OPTIONS"].contains(request.method.uppercased()) {
            let type = request.contentType ?? ""
            let media = type.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard media.trimmingCharacters(in: " \t").lowercased() == "application/json" else {
                return Refusal(status: 415, message: "send JSON (Content-Type: application/json), not '\(type)'")
            }
        }
        return nil
    }

    /// Whether `name` (lowercased, IPv6 without brackets) is this machine: loopback, `--host`, or the connection's address.
    func isThisMachine(_ name: String, arrivedOn address: String?) -> Bool {
        func bare(_ text: String) -> String {
            let lower = text.lowercased()
            return lower.hasPrefix("[") && lower.hasSuffix("]") ? String(lower.dropFirst().dropLast()) : lower
        }
        return HostPolicy.isLoopback(name) || name == bare(boundHost) || address.map(bare) == name
    }

    /// The name (lowercased, IPv6 without brackets) and port of `host[:port]` or `[v6][:port]`;
    /// nil when it is empty or malformed (a port that is not 1-65535, text after the brackets).
    static func authority(_ text: String) -> (name: String, port: Int?)? {
        var name = Substring(text.lowercased())
        var portText: Substring?
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return nil }
            let rest = name[name.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
            name = name[name.index(after: name.startIndex)..<close]
        } else if let colon = name.lastIndex(of: ":") {
            guard name.firstIndex(of: ":") == colon else { return nil }
            portText = name[name.index(after: colon)...]
            name = name[..<colon]
        }
        guard !name.isEmpty else { return nil }
        guard let portText else { return (String(name), nil) }
        guard (1...5).contains(portText.count), portText.allSatisfy(\.isASCIIDigit), let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (String(name), port)
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

private extension Substring {
    /// Without leading and trailing characters of `set` (no Foundation in this target).
    func trimmingCharacters(in set: String) -> Substring {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return text
    }
}
