import Batch
import Testing

/// Issue 19, item 5: one answer to "is this host this machine?", for the Unleashed client, both
/// ledgers, serve, the sandbox's admin API and the metrics endpoint.
struct HostPolicyTests {
    @Test(arguments: [
        // localhost, in any case; not the fully qualified `localhost.` nor any longer name.
        ("localhost", true), ("LOCALHOST", true), ("LocalHost", true),
        ("localhost.", false), ("localhost.example.com", false), ("my-localhost", false), ("localhost:80", false),
        // 127.0.0.0/8 as four decimal octets, strictly.
        ("127.0.0.1", true), ("127.255.255.254", true), ("127.0.0.0", true), ("127.1.2.3", true),
        ("127.db.example.com", false), ("127.0.0.1.nip.io", false), ("127.1", false), ("127.0.1", false),
        ("0177.0.0.1", false), ("0x7f.0.0.1", false), ("127.0.0.01", false), ("127.0.0.256", false), ("127.0.0.", false),
        ("127..0.1", false), ("+127.0.0.1", false), (" 127.0.0.1", false), ("127.0.0.1 ", false), ("2130706433", false),
        ("128.0.0.1", false), ("126.255.255.255", false), ("1.127.0.0", false), ("0.0.0.0", false), ("10.0.0.7", false),
        // ::1 in any valid spelling, bracketed or not; IPv4-mapped 127.0.0.0/8 (a dual-stack socket's peer).
        ("::1", true), ("[::1]", true), ("0:0:0:0:0:0:0:1", true), ("0::1", true), ("0000:0000::0001", true),
        ("[0:0:0:0:0:0:0:1]", true), ("::ffff:127.0.0.1", true), ("::FFFF:127.0.0.1", true), ("[::ffff:7f00:1]", true),
        ("::", false), ("::2", false), ("::1:0", false), ("1::1", false), ("::1%lo0", false), ("[::1]:80", false), ("[::1", false),
        ("::1]", false), ("[]", false), ("0:0:0:0:0:0:0:1:0", false), (":::1", false), ("1::1::1", false), ("::00001", false),
        ("::ffff:128.0.0.1", false), ("::ffff:127.1", false), ("::+1", false), ("[127.0.0.1]", false), ("[localhost]", false),
        ("", false),
    ] as [(String, Bool)])
    func loopbackIsLocalhostA127AddressOrColonColonOne(host: String, loopback: Bool) {
        #expect(HostPolicy.isLoopback(host) == loopback, "'\(host)'")
    }
}
