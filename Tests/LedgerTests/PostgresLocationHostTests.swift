import Ledger
import LedgerPostgres
import Testing

/// Issue 19, item 5: TLS is skipped only for a loopback host (`HostPolicy`), decided when the URL
/// is parsed, before any connection; a name that merely starts with `127.` is a remote host.
/// Pure parsing: runs without a PostgreSQL cluster.
struct PostgresLocationHostTests {
    @Test(arguments: ["127.db.example.com", "127.0.0.1.nip.io", "localhost.", "127.1", "[::2]"])
    func aHostThatOnlyLooksLocalNeedsTLSAndRefusesSSLModeDisable(host: String) throws {
        #expect(try PostgresLocation(url: "postgres://u@\(host)/x").requireTLS)
        do {
            _ = try PostgresLocation(url: "postgres://u@\(host)/x?sslmode=disable")
            Issue.record("sslmode=disable was accepted for \(host)")
        } catch {
            #expect("\(error)".contains("sslmode=disable is refused for a host that is not loopback"), "\(error)")
        }
    }

    @Test(arguments: ["127.0.0.1", "127.255.255.254", "localhost", "LOCALHOST", "[::1]"])
    func aLoopbackHostMayGoWithoutTLS(host: String) throws {
        #expect(try !PostgresLocation(url: "postgres://u@\(host)/x").requireTLS)
        #expect(try !PostgresLocation(url: "postgres://u@\(host)/x?sslmode=disable").requireTLS)
        #expect(try PostgresLocation(url: "postgres://u@\(host)/x?sslmode=require").requireTLS)
    }
}
