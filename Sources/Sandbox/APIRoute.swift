import Hummingbird

/// An Unleashed API call, recognised from its method and path (endpoint names match without case).
enum APIRoute: Sendable, Equatable {
    case list(Resource, page: Int)
    case get(Resource, guid: String)
    case createOrder(guid: String)
    case updateOrder(guid: String)
    case deleteOrder(guid: String)
    case completeOrder(guid: String)
    case upsert(Resource, guid: String)

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
        let page: Int? = second == nil ? 1 : second.flatMap { Int($0) }
        let guid: String? = second.flatMap { GuidMaker.isGuid($0) ? $0 : nil }
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

    /// The endpoint name used by the call counters, e.g. `POST /SalesOrders/{guid}/Complete`.
    static func endpointName(method: HTTPRequest.Method, path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first else { return "\(method.rawValue) /" }
        let name = Resource.named(first)?.rawValue ?? String(first)
        var shape = "\(method.rawValue) /\(name)"
        if segments.count > 1 {
            shape += Int(segments[1]) != nil ? "/{page}" : GuidMaker.isGuid(segments[1]) ? "/{guid}" : "/\(segments[1])"
        }
        if segments.count > 2 { shape += "/" + segments[2...].joined(separator: "/") }
        return shape
    }
}
