/// An order id reduced to 64 bits, for finding repeated ids in a batch without keeping every
/// id's text: 12 bytes an order (with the index of its first order) instead of about 100 (a
/// 36-character UUID string on the heap plus the dictionary entry), so a batch of millions of
/// orders still reads in flat memory.
///
/// Swift's `Hasher` (SipHash-1-3, seeded once per process). Two different ids share a
/// fingerprint with probability 2^-64 per pair: about 3 × 10^-10 for a batch of 100,000 orders.
/// The only effect of such a collision is a needless W-DUPLICATE-ID warning on the later order
/// (the push stage tracks orders by their real ids, never by this).
enum IDFingerprint {
    static func of(_ id: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(id)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}
