import Batch
import Facts
import Foundation
import Ledger
import Unleashed

extension PushStage {
    /// What one order task returns.
    enum Finished: Sendable {
        case order(seq: Int, batch: Int, id: String?, result: OrderPusher.Result)
        case stop(seq: Int, id: String?, reason: StopReason)
    }

    /// Reads the batches and pushes their orders, `options.concurrency` at a time, keeping the
    /// checkpoint (the first record not yet handled) and the call counters in the ledger.
    func loop(batches: [String], context: PushContext, tally start: RunTally, stop: StopSignal, started: Date,
              progress: @escaping @Sendable (PushProgress) -> Void) async throws -> RunTally {
        var tally = start
        let pusher = OrderPusher(context: context)
        let skipBelow = tally.run.checkpoint
        var finished = Set<Int>()
        var inFlightIDs: [String: Int] = [:]
        var inFlight = 0
        var handledHere = 0
        var unreachableInARow = 0
        var callsSavedAt = options.now()
        let concurrency = max(1, options.concurrency)

        func handle(_ done: Finished) async {
            inFlight -= 1
            let id: String?
            switch done {
            case .order(let s, let batch, let i, let result):
                id = i
                tally.add(result.outcome, seq: s)
                tally.byBatch[batch, default: [:]][result.outcome, default: 0] += 1
                if result.warnings > 0 { tally.warned += 1 }
                unreachableInARow = result.unreachable ? unreachableInARow + 1 : 0
                if unreachableInARow >= options.stopAfterUnreachable, tally.stopped == nil, !stop.isRequested {
                    tally.stopped = .unreachable(message: result.message ?? "no answer")
                }
                // An order left in doubt holds the checkpoint: a resumed run starts at it and
                // settles it (the orders after it that this run finished count as already done).
                if !result.inDoubt { finished.insert(s) }
            case .stop(_, let i, let reason):
                id = i
                if tally.stopped == nil { tally.stopped = reason }
            }
            if let id {
                inFlightIDs[id, default: 1] -= 1
                if inFlightIDs[id] == 0 { inFlightIDs[id] = nil }
            }
            handledHere += 1
            tally.advance(&finished)
            if handledHere % options.checkpointEvery == 0 {
                try? await ledger.saveRun(tally.run)
                await saveCalls(context.client, month: Self.month(options.now()))
                callsSavedAt = options.now()
            } else if options.now().timeIntervalSince(callsSavedAt) >= options.saveCallsEvery {
                await saveCalls(context.client, month: Self.month(options.now()))
                callsSavedAt = options.now()
            }
            progress(PushProgress(done: tally.run.checkpoint, total: tally.total, calls: context.client.calls.total,
                                  problems: tally.counts.filter { $0.key.isProblem }.values.reduce(0, +),
                                  elapsed: options.now().timeIntervalSince(started), handledHere: handledHere))
        }

        await withTaskGroup(of: Finished.self) { group in
            var seq = -1
            reading: for (batch, path) in batches.enumerated() {
                guard let reader = try? BatchReader(path: path) else { continue }
                while let item = reader.next() {
                    seq += 1
                    if seq < skipBelow { continue }
                    if stop.isRequested || tally.stopped != nil { break reading }
                    switch item {
                    case .problem(let problem):
                        let entry = context.log(nil, action: .read, outcome: .rejected, message: "\(path): \(problem)")
                        // Counted below whatever happens here; a ledger that cannot write stops the run at its next checkpoint.
                        _ = try? await ledger.appendLog(entry)
                        inFlight += 1
                        await handle(.order(seq: seq, batch: batch, id: nil, result: OrderPusher.Result(outcome: .unreadable, message: problem.message)))
                    case .record(let record):
                        let id = OrderIdentity.sourceID(of: record)
                        if let only = options.only, !(id.map(only.contains) ?? false) {
                            finished.insert(seq)
                            tally.advance(&finished)
                            continue
                        }
                        while inFlight >= concurrency || (id.map { inFlightIDs[$0] != nil } ?? false) {
                            guard let done = await group.next() else { break }
                            await handle(done)
                        }
                        if tally.stopped != nil { break reading }
                        inFlight += 1
                        if let id { inFlightIDs[id, default: 0] += 1 }
                        let current = seq
                        group.addTask {
                            do throws(RunStop) {
                                return .order(seq: current, batch: batch, id: id,
                                              result: try await pusher.push(record, at: NewestCopies.Position(batch: batch, index: record.index)))
                            } catch {
                                return .stop(seq: current, id: id, reason: error.reason)
                            }
                        }
                    }
                }
            }
            while let done = await group.next() { await handle(done) }
        }
        try? await ledger.saveRun(tally.run)
        return tally
    }
}
