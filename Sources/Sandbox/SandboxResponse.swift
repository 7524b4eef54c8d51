import Batch
import Hummingbird

/// Builds JSON responses.
enum SandboxResponse {
    /// A JSON response with `Content-Type: application/json; charset=utf-8`, dates written `\/Date(ms)\/` as Unleashed writes them.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var writer = JSONWriter()
        writer.write(value)
        return bytes(WireDates.escaped(writer.bytes), status: status, headers: headers)
    }

    /// A response around already-encoded JSON bytes.
    static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let buffer = ByteBuffer(bytes: bytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}
