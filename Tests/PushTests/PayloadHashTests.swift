import Push
import Facts
import Testing

@Suite struct PayloadHashTests {
    @Test func hashIsHexSHA256() {
        #expect(PayloadHash.of(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(PayloadHash.of([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
