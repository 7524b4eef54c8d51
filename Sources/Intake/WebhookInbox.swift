#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Batch
import Crypto
import Logging

/// Where deliveries land: the inbox `omsync watch DIR` imports from. One actor per receiver, so
/// deliveries are written one at a time (the check against the journal, the write and the
/// journal append of one delivery never interleave with another's).
///
/// - A delivery's unseen orders become `DIR/webhook-<UTC yyyyMMdd'T'HHmmssSSS>Z-<8 hex of the
///   content>.json`, a JSON array of the orders' bytes as received, written durably
///   (`DurableFiles.writeDurably`) before the answer.
/// - Then the versions' keys are recorded in the journal (`WebhookJournal`, `DIR/.webhook-seen`).
///   A crash between the rename and that append forgets them: a re-delivery then writes a second
///   file with the same version, which the import sees as the version it already has (nothing
///   lost, nothing created twice). So does a version the bounded journal has forgotten.
/// - A refused body is kept as `DIR/refused/webhook-….body` with `….reason.txt` beside it.
actor WebhookInbox {
    /// What a delivery became.
    struct Outcome: Sendable {
        var accepted = 0
        var duplicates = 0
        /// The batch file's name in the inbox (nil when every order was a duplicate).
        var file: String?
    }

    static let refusedName = "refused"

    let directory: String
    let logger: Logger
    private var journal: WebhookJournal

    /// Opens the inbox (`directory` must exist) and loads its journal.
    init(directory: String, journalCapacity: Int, logger: Logger) throws(WebhookError) {
        guard DurableFiles.isDirectory(directory) else {
            throw WebhookError("\(directory): the inbox is not a directory (create it, or give the folder `omsync watch` imports from)")
        }
        self.directory = directory
        self.logger = logger
        journal = try WebhookJournal(directory: directory, capacity: journalCapacity)
    }

    /// Writes the orders not delivered before as one batch file, then records their keys.
    /// Throws when the file cannot be written (nothing is recorded; the sender should retry).
    func accept(_ orders: [WebhookOrder]) throws(DurableFiles.Failure) -> Outcome {
        var outcome = Outcome()
        var fresh: [WebhookOrder] = []
        var keys: Set<String> = []
        for order in orders {
            if journal.contains(order.key) || !keys.insert(order.key).inserted {
                outcome.duplicates += 1
            } else {
                fresh.append(order)
            }
        }
        guard !fresh.isEmpty else { return outcome }
        var writer = JSONWriter(capacity: fresh.reduce(16) { $0 + $1.bytes.count + 1 })
        writer.beginArray()
        for order in fresh { writer.raw(order.bytes) }
        writer.endArray()
        writer.newline()
        let name = uniqueName(stem: Self.stem(writer.bytes), suffix: ".json", in: directory)
        try DurableFiles.writeDurably(writer.bytes, directory: directory, name: name)
        outcome.accepted = fresh.count
        outcome.file = name
        do { try journal.remember(fresh.map(\.key)) } catch {
            // The batch file is written: the delivery is safe; only its de-duplication after a
            // restart is lost (a re-delivery would write the same version again).
            logger.warning("webhook: cannot record delivered orders in the journal", metadata: ["error": "\(error.reason)"])
        }
        return outcome
    }

    /// Keeps a refused body and why, in `DIR/refused/`; a failure to keep it is logged, not thrown.
    func refuse(_ body: [UInt8], reason: String) -> String? {
        let folder = "\(directory)/\(Self.refusedName)"
        do {
            try DurableFiles.makeDirectory(folder)
            let stem = uniqueName(stem: Self.stem(body), suffix: ".body", in: folder)
            let name = String(stem.dropLast(".body".count))
            try DurableFiles.writeDurably(Array((reason + "\n").utf8), directory: folder, name: name + ".reason.txt")
            try DurableFiles.writeDurably(body, directory: folder, name: stem)
            return "\(Self.refusedName)/\(stem)"
        } catch {
            logger.warning("webhook: cannot keep a refused delivery", metadata: ["error": "\(error.reason)"])
            return nil
        }
    }

    /// `name` + `suffix`, or `name-2` + `suffix`, … : the first free in `folder` (its temporary
    /// name included).
    private func uniqueName(stem: String, suffix: String, in folder: String) -> String {
        var candidate = stem + suffix
        var n = 2
        while DurableFiles.exists("\(folder)/\(candidate)") || DurableFiles.exists("\(folder)/.\(candidate).tmp") {
            candidate = "\(stem)-\(n)\(suffix)"
            n += 1
        }
        return candidate
    }

    /// `webhook-20261208T020242123Z-1a2b3c4d`: the UTC time to the millisecond (sorts by
    /// arrival), then 8 hex digits of the content's SHA-256.
    static func stem(_ content: [UInt8], now: (seconds: Int, milliseconds: Int) = clock()) -> String {
        let days = now.seconds >= 0 ? now.seconds / 86_400 : (now.seconds - 86_399) / 86_400
        let seconds = now.seconds - days * 86_400
        let date = CivilCalendar.date(fromDays: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let stamp = pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2) + "T"
            + pad(seconds / 3600, 2) + pad(seconds / 60 % 60, 2) + pad(seconds % 60, 2) + pad(now.milliseconds, 3) + "Z"
        return "webhook-\(stamp)-\(WebhookDelivery.hex(SHA256.hash(data: content).prefix(4)))"
    }

    /// The wall clock: seconds since 1970 (UTC) and milliseconds.
    static func clock() -> (seconds: Int, milliseconds: Int) {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return (Int(time.tv_sec), Int(time.tv_nsec) / 1_000_000)
    }
}
