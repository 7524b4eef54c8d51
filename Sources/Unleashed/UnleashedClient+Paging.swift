import Foundation
import Batch
import NIOHTTP1

extension UnleashedClient {
    /// Every item of a paged list: page 1 at `path`, page N at `path/N`, until `NumberOfPages`.
    func allPages(_ path: String, query: [(name: String, value: String)]) async throws(UnleashedError) -> [JSONValue] {
        var items: [JSONValue] = []
        var page = 1
        while true {
            let call = APICall(method: .GET, path: page == 1 ? path : "\(path)/\(page)", query: query)
            let document = try await getJSON(call)
            guard let pageItems = document["Items"]?.arrayValue else {
                throw .badResponse(endpoint: call.endpoint, reason: "a list answer without Items")
            }
            items.append(contentsOf: pageItems)
            let pages = document["Pagination"]?["NumberOfPages"]?.numberValue?.int ?? page
            if page >= pages || pageItems.isEmpty { return items }
            page += 1
        }
    }

    /// A GET answered with JSON (404 is `.refused`).
    func getJSON(_ call: APICall) async throws(UnleashedError) -> JSONValue {
        try await perform(call) { answer, _, _ throws(UnleashedError) in
            try standardVerdict(answer, call) { answer throws(UnleashedError) in try Self.json(answer, call) }
        }
    }

    /// A GET of one record by GUID: nil on 404.
    func getRecord(_ path: String) async throws(UnleashedError) -> JSONValue? {
        let call = APICall(method: .GET, path: path)
        return try await perform(call) { answer, _, _ throws(UnleashedError) -> Verdict<JSONValue?> in
            if answer.status == 404 { return .done(nil) }
            return try standardVerdict(answer, call) { answer throws(UnleashedError) -> JSONValue? in try Self.json(answer, call) }
        }
    }

    /// The query of a master-data list: a code prefix, `modifiedSince`, the page size.
    static func listQuery(codeName: String, code: String?, modifiedSince: Date?, pageSize: Int) -> [(name: String, value: String)] {
        var query: [(name: String, value: String)] = []
        if let code { query.append((codeName, code)) }
        if let modifiedSince { query.append(("modifiedSince", queryDate(modifiedSince))) }
        query.append(("pageSize", String(pageSize)))
        return query
    }
}


