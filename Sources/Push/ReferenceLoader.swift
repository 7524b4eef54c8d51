import Batch
import Foundation
import Ledger
import Unleashed

/// Fetches the reference data once per run, in bulk, and keeps it in the ledger's cache.
///
/// The small lists (warehouses, taxes, currencies, sales persons, groups, delivery methods) are
/// one call each and fetched whole every run, so a record removed in Unleashed is not trusted.
/// Customers and products can be many: the first run fetches them whole (pages of 1,000), later
/// runs ask only for what changed since the cached copy (`modifiedSince`, with a margin for
/// clock skew) and merge it in by GUID.
struct ReferenceLoader {
    let client: UnleashedClient
    let ledger: any Ledger
    let now: @Sendable () -> Date
    /// How far before the cache time `modifiedSince` reaches back (clocks differ).
    static let margin: TimeInterval = 600

    /// The index of everything the checks need. The eight lists are fetched at once (each is
    /// independent), so a run's fixed cost is one round trip's latency, not eight.
    func load() async throws -> ReferenceIndex {
        let small = ReferenceIndex.kinds.filter(\.isReferenceList)
        let client = self.client
        let records = try await withThrowingTaskGroup(of: (ReferenceIndex.Kind, [ReferenceIndex.Entry]).self) { group in
            for kind in small {
                group.addTask {
                    let fetchedAt = now()
                    let items = try await client.list(kind, modifiedSince: nil)
                    let entries = items.compactMap { ReferenceIndex.entry(kind, from: $0.json) }
                    try await save(kind, entries, at: fetchedAt)
                    return (kind, entries)
                }
            }
            group.addTask {
                (.customers, try await incremental(.customers) { since in try await client.customers(codePrefix: nil, modifiedSince: since) })
            }
            group.addTask {
                (.products, try await incremental(.products) { since in try await client.products(codePrefix: nil, modifiedSince: since) })
            }
            var records: [ReferenceIndex.Kind: [ReferenceIndex.Entry]] = [:]
            for try await (kind, entries) in group { records[kind] = entries }
            return records
        }
        return ReferenceIndex(records)
    }

    /// The cached list of `kind` brought up to date with what changed since it was cached.
    private func incremental(_ kind: ReferenceIndex.Kind,
                             fetch: @Sendable (Date?) async throws -> [UnleashedRecord]) async throws -> [ReferenceIndex.Entry] {
        let cached = try await ledger.referenceData(kind: kind.rawValue)
        var entries = cached.flatMap { Self.decode($0.items) } ?? []
        let since = cached.map { $0.fetchedAt.addingTimeInterval(-Self.margin) }
        let fetchedAt = now()
        let changed = try await fetch(since).compactMap { ReferenceIndex.entry(kind, from: $0.json) }
        if since == nil {
            entries = changed
        } else {
            entries = Self.merge(entries, changed)
        }
        try await save(kind, entries, at: fetchedAt)
        return entries
    }

    /// Cached entries with the changed ones replacing those of the same GUID (or key).
    static func merge(_ cached: [ReferenceIndex.Entry], _ changed: [ReferenceIndex.Entry]) -> [ReferenceIndex.Entry] {
        var byIdentity: [String: Int] = [:]
        var result = cached
        for (i, entry) in cached.enumerated() { byIdentity[entry.guid ?? entry.key.lowercased()] = i }
        for entry in changed {
            if let i = byIdentity[entry.guid ?? entry.key.lowercased()] {
                result[i] = entry
            } else {
                byIdentity[entry.guid ?? entry.key.lowercased()] = result.count
                result.append(entry)
            }
        }
        return result
    }

    private func save(_ kind: ReferenceIndex.Kind, _ entries: [ReferenceIndex.Entry], at date: Date) async throws {
        try await ledger.saveReferenceData(CachedReference(kind: kind.rawValue, items: Self.encode(entries), fetchedAt: date))
    }

    /// The cached form: `[{"key":…,"guid":…,"sellable":…}]`.
    static func encode(_ entries: [ReferenceIndex.Entry]) -> Data {
        var writer = JSONWriter()
        writer.beginArray()
        for entry in entries {
            writer.beginObject()
            writer.key("key")
            writer.string(entry.key)
            writer.key("guid")
            if let guid = entry.guid { writer.string(guid) } else { writer.null() }
            writer.key("sellable")
            writer.bool(entry.sellable)
            writer.endObject()
        }
        writer.endArray()
        return Data(writer.bytes)
    }

    /// Entries from the cached form; nil when the cache cannot be read (it is then fetched anew).
    static func decode(_ data: Data) -> [ReferenceIndex.Entry]? {
        guard let items = (try? JSONValue.parse([UInt8](data)))?.arrayValue else { return nil }
        var entries: [ReferenceIndex.Entry] = []
        for item in items {
            guard let key = item["key"]?.stringValue else { return nil }
            entries.append(ReferenceIndex.Entry(key: key, guid: item["guid"]?.stringValue, sellable: item["sellable"]?.boolValue ?? true))
        }
        return entries
    }
}
