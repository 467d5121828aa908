import Foundation
import Hummingbird
import MultipartKit

/// A parsed `multipart/form-data` body: text fields and files, in order.
public struct MultipartForm: Sendable {
    /// One part.
    public struct Part: Sendable {
        public var name: String
        /// The part's `filename` (present for file inputs, possibly empty).
        public var fileName: String?
        public var bytes: [UInt8]

        /// The bytes as UTF-8 text (for fields).
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    public var parts: [Part]

    /// The first text field named `name` (not a file), trimmed; `nil` when absent or empty.
    public func field(_ name: String) -> String? {
        guard let part = parts.first(where: { $0.name == name && $0.fileName == nil }) else { return nil }
        let text = part.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Parts that carry a file with content.
    public var files: [Part] { parts.filter { $0.fileName != nil && !$0.bytes.isEmpty } }

    /// Reads and parses the body of `request` (at most `limit` bytes). Throws `APIError` (400) for a body that is
    /// not multipart or is malformed.
    public static func parse(_ request: Request, limit: Int) async throws -> MultipartForm {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = boundary(of: contentType) else {
            throw APIError.invalidRequest("Send the run as multipart/form-data.")
        }
        let body = try await request.body.collect(upTo: limit)
        return try parse(Array(body.readableBytesView), boundary: boundary)
    }

    /// Parses a body with a known boundary.
    public static func parse(_ bytes: [UInt8], boundary: String) throws -> MultipartForm {
        let parser = MultipartParser(boundary: boundary)
        final class Collector {
            var parts: [Part] = []
            var headers: [(String, String)] = []
            var body: [UInt8] = []
        }
        let collector = Collector()
        parser.onHeader = { name, value in collector.headers.append((name, value)) }
        parser.onBody = { buffer in collector.body += buffer.readableBytesView }
        parser.onPartComplete = {
            let disposition = collector.headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            let parameters = Self.dispositionParameters(disposition)
            collector.parts.append(Part(name: parameters["name"] ?? "", fileName: parameters["filename"], bytes: collector.body))
            collector.headers = []
            collector.body = []
        }
        do {
            try parser.execute(bytes)
        } catch {
            throw APIError.invalidRequest("The multipart body is malformed.")
        }
        return MultipartForm(parts: collector.parts)
    }

    static func boundary(of contentType: String) -> String? {
        for item in contentType.split(separator: ";") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = String(pair[1])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// `form-data; name="heatmap[girl]"; filename="girl.npy"` → ["name": "heatmap[girl]", "filename": "girl.npy"].
    static func dispositionParameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(value)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop(while: { $0 == " " })
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var parsed = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                var end = rest.endIndex
                for index in rest.indices {
                    let char = rest[index]
                    if escaped { parsed.append(char); escaped = false; continue }
                    if char == "\\" { escaped = true; continue }
                    if char == "\"" { end = index; break }
                    parsed.append(char)
                }
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                parsed = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            if result[key] == nil { result[key] = parsed }
        }
        return result
    }
}
