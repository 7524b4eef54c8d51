import Batch
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import NIOCore
import Facts
import Rules

/// The handlers of the JSON API (docs/serve.md): each reads its JSON body, calls the engine, the
/// workspace or the ledger, and answers JSON; a refusal answers `{"error"}` with its status.
struct ServeAPI: Sendable {
    let server: ServeServer
    var engine: PreviewEngine { server.engine }
    var workspace: RuleWorkspace { server.engine.workspace }

    /// A request the API cannot take: its status and message.
    struct BadRequest: Error {
        var status: HTTPResponse.Status
        var message: String
    }

    /// Reads the body (at most the limit) as a JSON object and runs `body`; every failure becomes its response.
    func handle(_ request: Request, _ body: (JSONValue) async throws -> Response) async -> Response {
        let limit = server.configuration.maxBodyBytes
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            return ServeResponse.tooLarge(limit)
        }
        // The body's own limit is the only size limit: a dropped batch arrives as one JSON string
        // (`text`), so the parser's per-string default (1 MiB, for batch fields) must not apply.
        var limits = JSONLimits.default
        limits.maxStringBytes = max(limits.maxStringBytes, limit)
        limits.maxRecordBytes = max(limits.maxRecordBytes, limit)
        let value: JSONValue
        do {
            value = try JSONValue.parse(Array(buffer.readableBytesView), limits: limits)
        } catch {
            return ServeResponse.error(.badRequest, "the body is not JSON: \(error)")
        }
        guard value.objectValue != nil else { return ServeResponse.error(.badRequest, "the body must be a JSON object") }
        do {
            return try await body(value)
        } catch let refusal as RuleWorkspace.Refusal {
            return ServeResponse.error(HTTPResponse.Status(code: refusal.status), refusal.message)
        } catch let bad as BadRequest {
            return ServeResponse.error(bad.status, bad.message)
        } catch {
            return ServeResponse.error(.internalServerError, "\(error)")
        }
    }

    /// `files`: `{name: text}`, the editor's unsaved texts.
    func edits(_ body: JSONValue) throws -> [String: String] {
        guard let files = body["files"] else { return [:] }
        guard let object = files.objectValue else { throw BadRequest(status: .badRequest, message: "`files` must be an object {name: text}") }
        var edits: [String: String] = [:]
        for (name, text) in object {
            guard let text = text.stringValue else { throw BadRequest(status: .badRequest, message: "`files.\(name)` must be text") }
            edits[name] = text
        }
        return edits
    }

    /// `GET /api/state`: the rules folder's files, the samples and their orders, the ledger, the states.
    func workspaceState() async -> Response {
        let samples = await server.state.samples
        var writer = JSONWriter(capacity: 1 << 14)
        writer.beginObject()
        writer.key("rules")
        writer.string(workspace.directory)
        writer.key("files")
        writer.beginArray()
        for file in workspace.files() {
            writer.beginObject()
            writer.key("name")
            writer.string(file.name)
            writer.key("path")
            writer.string(workspace.path(file.name))
            writer.key("text")
            writer.string(file.text)
            writer.endObject()
        }
        writer.endArray()
        writer.key("samples")
        writer.beginArray()
        for sample in samples.samples {
            writer.beginObject()
            writer.key("name")
            writer.string(sample.name)
            writer.key("orders")
            writer.int(sample.records.count)
            writer.key("dropped")
            writer.int(sample.dropped)
            writer.key("problems")
            writer.beginArray()
            for problem in sample.problems { writer.string("\(problem.line):\(problem.column): \(problem.message)") }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.key("ledger")
        writer.bool(server.state.hasLedger)
        writer.key("states")
        writer.beginArray()
        for choice in PreviewEngine.StateChoice.allCases where choice != .ledger || server.state.hasLedger { writer.string(choice.rawValue) }
        writer.endArray()
        writer.key("maxBodyBytes")
        writer.int(server.configuration.maxBodyBytes)
        writer.endObject()
        return ServeResponse.json(writer.bytes)
    }

    /// `POST /api/check {files}`.
    func check(_ body: JSONValue) throws -> Response {
        ServeResponse.json(try engine.check(try edits(body)))
    }

    /// `POST /api/preview {files, batch, index, state}`; `POST /api/explain` (the same body) answers
    /// the selected order alone.
    func preview(_ body: JSONValue, list: Bool = true) async throws -> Response {
        let stateName = body["state"]?.stringValue ?? (server.state.hasLedger ? "ledger" : "new")
        guard let choice = PreviewEngine.StateChoice(rawValue: stateName), choice != .ledger || server.state.hasLedger else {
            throw BadRequest(status: .badRequest, message: "unknown state '\(stateName)'; the states are new, pushed, changed, changed_in_unleashed"
                             + (server.state.hasLedger ? ", ledger" : ""))
        }
        let selection = body["index"]?.numberValue?.int.map { PreviewEngine.Selection(batch: body["batch"]?.numberValue?.int ?? 0, index: $0) }
        let snapshot = try await server.state.snapshot()
        let samples = await server.state.samples
        if !list, selection == nil { throw BadRequest(status: .badRequest, message: "give the order to explain: `batch` and `index`") }
        // The diff needs the payload last pushed for the selected order (a ledger read).
        var pushed: PushedPayload?
        if let selection, let snapshot, let record = samples.record(selection.batch, selection.index),
           let id = OrderIdentity.sourceID(of: record) {
            pushed = try await server.state.pushedPayload(sourceID: id, row: snapshot.rows[id])
        }
        return ServeResponse.json(try engine.preview(try edits(body), samples: samples, selection: selection, state: choice,
                                                     ledger: snapshot, pushed: pushed, list: list))
    }

    /// `POST /api/save {name, text}`: atomic, only when the whole rule set checks clean.
    func save(_ body: JSONValue) throws -> Response {
        guard let name = body["name"]?.stringValue, let text = body["text"]?.stringValue else {
            throw BadRequest(status: .badRequest, message: "give `name` (a rule file of the folder) and `text`")
        }
        let result = try workspace.save(name, text: text)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("saved")
        writer.string(workspace.path(name))
        ServeJSON.checkMembers(result, workspace: workspace, into: &writer)
        writer.endObject()
        return ServeResponse.json(writer.bytes)
    }

    /// `POST /api/samples {name, text}`: a batch dropped on the page becomes the first sample.
    func addSample(_ body: JSONValue) async throws -> Response {
        guard let text = body["text"]?.stringValue else { throw BadRequest(status: .badRequest, message: "give the batch as `text`") }
        let name = body["name"]?.stringValue ?? "dropped batch"
        let sample: SampleSet.Sample
        do {
            sample = try SampleSet.read(bytes: Array(text.utf8), name: name)
        } catch {
            throw BadRequest(status: .unprocessableContent, message: "\(name): \(error.message)")
        }
        guard !sample.records.isEmpty else {
            throw BadRequest(status: .unprocessableContent, message: "\(name) holds no order" + (sample.problems.first.map { ": \($0.message)" } ?? ""))
        }
        await server.state.add(sample)
        return await workspaceState()
    }
}
