import Engine
import Hummingbird

/// JSON responses of the API, written with the engine's `JSONWriter` (member order kept, no NaN).
public enum APIResponse {
    /// `value` as `application/json`.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        jsonText(JSONWriter.serialize(value), status: status)
    }

    /// Already-serialised JSON text.
    public static func jsonText(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
