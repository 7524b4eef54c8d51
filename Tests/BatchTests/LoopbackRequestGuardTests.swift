import Batch
import Testing

/// The one guard of `omsync serve` and the sandbox's admin API, case by case.
@Suite struct LoopbackRequestGuardTests {
    let guardian = LoopbackRequestGuard(server: "omsync serve", boundHost: "127.0.0.1")

    func request(_ method: String = "POST", host: String? = "127.0.0.1:8080", origin: String? = nil, site: String? = nil,
                 type: String? = "application/json", local: String? = "127.0.0.1", port: Int? = 8080) -> LoopbackRequestGuard.Request {
        .init(method: method, host: host, origin: origin, fetchSite: site, contentType: type, localAddress: local, localPort: port, guarded: true)
    }

    @Test(arguments: ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080", "localhost", "127.0.0.1"])
    func aLoopbackHostOnThisPortPasses(_ host: String) {
        #expect(guardian.check(request(host: host)) == nil)
    }

    @Test(arguments: ["evil.example:8080", "127.0.0.1.nip.io:8080", "localhost.:8080", "127.0.0.1:8081", "localhost:80", "", "127.0.0.1:", "[::1",
                      "127.0.0.1:8080:1", "localhost:99999"])
    func anotherHostOrPortIs421(_ host: String) {
        #expect(guardian.check(request(host: host))?.status == 421, "\(host)")
    }

    @Test func theAddressTheConnectionArrivedOnIsThisServer() {
        let wide = LoopbackRequestGuard(server: "omsync serve", boundHost: "0.0.0.0")
        #expect(wide.check(request(host: "192.168.1.5:8080", local: "192.168.1.5")) == nil)
        #expect(wide.check(request(host: "192.168.1.6:8080", local: "192.168.1.5"))?.status == 421)
        let named = LoopbackRequestGuard(server: "omsync serve", boundHost: "[::1]")
        #expect(named.check(request(host: "[::1]:8080", local: "::1")) == nil)
    }

    @Test(arguments: ["http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080", "http://LOCALHOST:8080"])
    func aPageOfThisServerAtAnyLoopbackNamePasses(_ origin: String) {
        #expect(guardian.check(request(host: "127.0.0.1:8080", origin: origin)) == nil)
        #expect(guardian.check(request(host: "localhost:8080", origin: origin)) == nil)
    }

    @Test(arguments: ["http://localhost:3000", "http://localhost", "https://localhost:8080", "http://evil.example:8080", "null",
                      "http://127.0.0.1:8080/path", "http://localhost.evil.example:8080", ""])
    func anyOtherOriginIs403(_ origin: String) {
        #expect(guardian.check(request(origin: origin))?.status == 403, "\(origin)")
    }

    @Test func withoutASocketTheOriginMustMatchTheHostsPort() {
        #expect(guardian.check(request(host: "localhost", origin: "http://127.0.0.1", local: nil, port: nil)) == nil)
        #expect(guardian.check(request(host: "localhost:9000", origin: "http://localhost:9000", local: nil, port: nil)) == nil)
        #expect(guardian.check(request(host: "localhost:9000", origin: "http://localhost:9001", local: nil, port: nil))?.status == 403)
    }

    @Test func crossSiteMarksAreRefusedOnlyWhereGuarded() {
        #expect(guardian.check(request(site: "cross-site"))?.status == 403)
        #expect(guardian.check(request(site: "same-site"))?.status == 403)
        #expect(guardian.check(request(site: "same-origin")) == nil)
        #expect(guardian.check(request(site: "none")) == nil)
        var link = request("GET", site: "cross-site", type: nil)
        link.guarded = false
        #expect(guardian.check(link) == nil, "a link to the page from elsewhere opens it")
    }

    @Test func writesMustBeJSON() {
        for type in [nil, "", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "application/jsonp"] as [String?] {
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                let refusal = guardian.check(request(method, type: type))
                #expect(refusal?.status == 415, "\(method) \(type ?? "none")")
            }
        }
        #expect(guardian.check(request("POST", type: "application/json; charset=utf-8")) == nil)
        #expect(guardian.check(request("POST", type: "Application/JSON")) == nil)
        #expect(guardian.check(request("GET", type: nil)) == nil)
    }
}
