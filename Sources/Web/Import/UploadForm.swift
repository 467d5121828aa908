import Foundation
import MultipartKit
import NIOCore

/// A parsed `multipart/form-data` body: its parts in order, each with a field name, an optional file name and
/// the bytes.
public struct UploadForm: Sendable {
    /// One part of the form.
    public struct Part: Sendable {
        public var name: String
        public var fileName: String?
        public var body: ByteBuffer
    }

    public var parts: [Part]

    /// The boundary of a `multipart/form-data; boundary=…` content type, or `nil` for any other content type.
    public static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = pieces.first, first.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var value = String(piece.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Parses `body`; throws when it is not well-formed multipart data.
    public static func parseForm(_ body: ByteBuffer, boundary: String) throws -> UploadForm {
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var headers: [(String, String)] = []
        var current = ByteBuffer()
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { chunk in current.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            let parameters = Self.parseDisposition(disposition)
            parts.append(Part(name: parameters["name"] ?? "", fileName: parameters["filename"], body: current))
            headers = []
            current = ByteBuffer()
        }
        try parser.execute(body)
        return UploadForm(parts: parts)
    }

    /// The first text field named `name`.
    public func textField(_ name: String) -> String? {
        parts.first { $0.name == name && $0.fileName == nil }.map { String(buffer: $0.body) }
    }

    /// The file parts named `name` (empty file inputs, which browsers send with an empty file name, are skipped).
    public func fileParts(_ name: String) -> [Part] {
        parts.filter { $0.name == name && $0.fileName != nil && !($0.fileName == "" && $0.body.readableBytes == 0) }
    }

    static func parseDisposition(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var index = value.startIndex
        // Split on ';' outside quotes.
        var pieces: [String] = []
        var piece = ""
        var quoted = false
        while index < value.endIndex {
            let character = value[index]
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                pieces.append(piece)
                piece = ""
            } else {
                piece.append(character)
            }
            index = value.index(after: index)
        }
        pieces.append(piece)
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            var text = pair[1]
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 {
                text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            result[pair[0].lowercased()] = text
        }
        return result
    }
}
