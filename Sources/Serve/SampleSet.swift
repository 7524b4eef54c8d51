import Batch
import Foundation

/// The sample orders the page previews: the batches given with `--batch` (or dropped on the
/// page), read once into memory with the real batch reader.
///
/// A sample keeps at most `orderLimit` orders per batch (the page is for trying rules, not for
/// whole exports; `omsync preview` is): the rest is counted, not kept.
public struct SampleSet: Sendable {
    /// One batch read into memory.
    public struct Sample: Sendable {
        /// The path given, or the dropped file's name.
        public var name: String
        public var records: [BatchRecord]
        public var problems: [BatchProblem]
        /// Orders past `orderLimit`, not kept.
        public var dropped: Int
    }

    /// Orders kept per batch.
    public static let orderLimit = 5_000

    public var samples: [Sample]

    /// Reads each path (a batch that cannot be opened is an error naming it).
    public init(paths: [String]) throws(BatchProblem) {
        samples = []
        for path in paths {
            samples.append(Self.read(try BatchReader(path: path), name: path))
        }
    }

    /// A set of already read samples.
    public init(samples: [Sample]) { self.samples = samples }

    /// The order at `index` (its place in the batch) of sample `batch`, if there is one.
    public func record(_ batch: Int, _ index: Int) -> BatchRecord? {
        guard samples.indices.contains(batch) else { return nil }
        return samples[batch].records.first { $0.index == index }
    }

    /// Reads every order of `reader` (up to the limit).
    static func read(_ reader: BatchReader, name: String) -> Sample {
        var sample = Sample(name: name, records: [], problems: [], dropped: 0)
        while let item = reader.next() {
            switch item {
            case .record(let record):
                if sample.records.count < orderLimit { sample.records.append(record) } else { sample.dropped += 1 }
            case .problem(let problem):
                if sample.problems.count < 100 { sample.problems.append(problem) }
            }
        }
        return sample
    }

    /// A dropped file: the bytes go through a private temporary file, so the reader sees exactly
    /// what a batch file would give it.
    public static func read(bytes: [UInt8], name: String) throws(BatchProblem) -> Sample {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("omsync-serve-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw BatchProblem(record: nil, offset: 0, line: 1, column: 1, message: "cannot keep the dropped file \(name) for reading", fatal: true)
        }
        let reader = try BatchReader(path: file)
        var sample = read(reader, name: name)
        for index in sample.problems.indices {
            sample.problems[index].message = sample.problems[index].message.replacingOccurrences(of: file, with: name)
        }
        return sample
    }
}
