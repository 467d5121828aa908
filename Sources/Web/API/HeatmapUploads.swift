import Engine
import Foundation
import Storage

/// Turns the file parts of a run upload into keyword-labelled heatmaps, reading each with the engine
/// (`HeatmapReader`, format by content). Keyword rules, first that applies:
/// `heatmap[KEYWORD]` field name (API) · a `keyword[N]` text field paired with `file[N]` (browser form) ·
/// the file name without its extension (`girl.npy` → `girl`).
public enum HeatmapUploads {
    /// The heatmaps of `form`; an unreadable file throws its `EngineError` with the keyword in the message.
    public static func readHeatmaps(_ form: MultipartForm) throws -> [NewHeatmap] {
        var result: [NewHeatmap] = []
        for part in form.files {
            let keyword = try keyword(for: part, in: form)
            do {
                let map = try HeatmapReader.read(part.bytes)
                result.append(NewHeatmap(label: keyword, map: map, source: .upload, fileName: part.fileName ?? ""))
            } catch {
                throw EngineError(error.code, "heatmap '\(keyword)' (\(part.fileName ?? "")): \(error.message)")
            }
        }
        return result
    }

    static func keyword(for part: MultipartForm.Part, in form: MultipartForm) throws -> String {
        if let inner = bracketed(part.name, prefix: "heatmap") ?? bracketed(part.name, prefix: "heatmaps"), !inner.isEmpty {
            return inner
        }
        if let index = bracketed(part.name, prefix: "file"), let chosen = form.field("keyword[\(index)]") {
            return chosen
        }
        let stem = fileStem(part.fileName ?? "")
        guard !stem.isEmpty else {
            throw APIError.invalidRequest("A heatmap file needs a keyword: name the field heatmap[KEYWORD] or the file KEYWORD.npy.")
        }
        return stem
    }

    /// `heatmap[girl]` → `girl` for prefix `heatmap`.
    static func bracketed(_ name: String, prefix: String) -> String? {
        guard name.hasPrefix(prefix + "["), name.hasSuffix("]") else { return nil }
        return String(name.dropFirst(prefix.count + 1).dropLast()).trimmingCharacters(in: .whitespaces)
    }

    /// `dir/girl.npy` → `girl`; `a.b.png` → `a.b`.
    static func fileStem(_ fileName: String) -> String {
        let base = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { return String(base[..<dot]) }
        return base
    }
}
