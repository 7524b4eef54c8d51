import Hummingbird
import UnleashedContract

/// An Unleashed API call, recognised from its method and path (endpoint names match without case).
enum APIRoute: Sendable, Equatable {
    case list(Resource, page: Int)
    case get(Resource, guid: String)
    case createOrder(guid: String)
    case updateOrder(guid: String)
    case deleteOrder(guid: String)
    case completeOrder(guid: String)
    case upsert(Resource, guid: String)

    /// Whether the call can change records (its answer waits until the change is durable).
    var changesRecords: Bool {
        switch self {
        case .list, .get: false
        case .createOrder, .updateOrder, .deleteOrder, .completeOrder, .upsert: true
        }
    }

    /// The route for a request, or the 404 / 405 / 400 Unleashed would answer.
    static func parse(method: HTTPRequest.Method, path: String) -> Result<APIRoute, APIError> {
        func notFound() -> Result<APIRoute, APIError> {
            .failure(APIError(.notFound, "No HTTP resource was found that matches the request URI '\(path)'."))
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first, let resource = Resource.named(first), segments.count <= 3 else {
            return notFound()
        }
        let second = segments.count > 1 ? String(segments[1]) : nil
        let third = segments.count > 2 ? segments[2].lowercased() : nil
        // On a list call a page is any run of digits (a sign too), however long: one that is not 1
        // or more, or does not fit in an Int, is the same 400 as page 0 (never a 404 because it is long).
        if let second, method == .get, third == nil, UnleashedEndpoint.isPageNumber(second), (Int(second) ?? 0) < 1 {
            return .failure(ListQuery.badPage(second))
        }
        let page: Int? = second == nil ? 1 : second.flatMap { Int($0) }
        let guid: String? = second.flatMap { UnleashedGuid.isValid($0) ? $0 : nil }
        if second != nil, page == nil, guid == nil {
            return method == .get
                ? notFound()
                : .failure(.invalid("'\(second ?? "")' is not a valid Guid (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)."))
        }
        if let third {
            guard third == "complete", resource == .salesOrders, guid != nil else {
                return notFound()
            }
        }
        let notAllowed = APIError(.methodNotAllowed, "The requested resource does not support http method '\(method.rawValue)'.")
        switch (method, resource, guid, third) {
        case (.get, _, nil, nil):
            return .success(.list(resource, page: page ?? 1))
        case (.get, _, let guid?, nil):
            return .success(.get(resource, guid: guid))
        case (.post, .salesOrders, let guid?, nil):
            return .success(.createOrder(guid: guid))
        case (.post, .salesOrders, let guid?, "complete"):
            return .success(.completeOrder(guid: guid))
        case (.put, .salesOrders, let guid?, nil):
            return .success(.updateOrder(guid: guid))
        case (.delete, .salesOrders, let guid?, nil):
            return .success(.deleteOrder(guid: guid))
        case (.post, .customers, let guid?, nil), (.post, .products, let guid?, nil):
            return .success(.upsert(resource, guid: guid))
        default:
            return .failure(notAllowed)
        }
    }


    /// Methods counted by name; any other (extension) method is counted as an unknown endpoint.
    static let countedMethods: Set<HTTPRequest.Method> = [.get, .post, .put, .delete, .patch, .head, .options]

    /// A counter key read back from a state file, as `endpointName` would make it now: a key an
    /// older sandbox wrote for a raw path folds into `unknownEndpoint`.
    static func endpointName(storedKey key: String) -> String {
        guard let space = key.firstIndex(of: " "), let method = HTTPRequest.Method(String(key[..<space])) else { return unknownEndpoint }
        let path = key[key.index(after: space)...].split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment == "{guid}" ? "00000000-0000-0000-0000-000000000000" : segment == "{page}" ? "1" : String(segment)
        }.joined(separator: "/")
        return endpointName(method: method, path: path)
    }

    /// The key every call that matches no endpoint is counted under (one key, however many raw
    /// paths a client sends: the meter's state cannot be grown without bound).
    static let unknownEndpoint = "(unknown endpoint)"

    /// The endpoint name used by the call counters, e.g. `POST /SalesOrders/{guid}/Complete`: the
    /// route's template, never the raw path; `unknownEndpoint` for anything else.
    static func endpointName(method: HTTPRequest.Method, path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard countedMethods.contains(method), let first = segments.first, Resource.named(first) != nil, segments.count <= 3
        else { return unknownEndpoint }
        // Only the routes the sandbox serves are counted by name; their names are the contract's
        // templates, the keys the client's meter uses too.
        if segments.count > 1, !UnleashedEndpoint.isPageNumber(segments[1]), !UnleashedGuid.isValid(segments[1]) { return unknownEndpoint }
        if segments.count > 2, segments[2].lowercased() != "complete" { return unknownEndpoint }
        return UnleashedEndpoint.template(method: method.rawValue, path: path)
    }
}
