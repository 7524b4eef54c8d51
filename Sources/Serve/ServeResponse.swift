import Batch
import HTTPTypes
import Hummingbird
import NIOCore

/// The responses the server builds: JSON, the page's assets, errors as `{"error": message}`.
enum ServeResponse {
    /// Headers every response carries: no caching, no sniffing, no framing, no referrer, and a
    /// content security policy that allows only the page's own script, style and API.
    static var common: HTTPFields {
        var fields = HTTPFields()
        fields[.cacheControl] = "no-store"
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        fields[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        return fields
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var headers = common
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = common
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(ServeJSON.error(message), status: status)
    }

    /// 413, naming the limit (a dropped batch is the largest body: it says what to use instead).
    static func tooLarge(_ limit: Int) -> Response {
        error(.contentTooLarge, "the request is larger than the \(size(limit)) `omsync serve` takes (a dropped batch travels as JSON text, "
              + "so its file must be a little smaller): drop a smaller batch, or preview the whole export with `omsync preview`")
    }

    /// `8 MiB`, `64 KiB`, `100 bytes`.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// Compares two tokens in time independent of where they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
