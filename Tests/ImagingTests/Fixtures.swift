import Foundation
import Imaging

/// Access to /work/main/Tests/Fixtures (located from this file's path) and images/expected.json.
enum Fixtures {
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }()

    static let imagesDirectory = root + "/images"

    static func bytes(_ relative: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: imagesDirectory + "/" + relative) else { return [] }
        return [UInt8](data)
    }

    struct Probe: Sendable {
        var x: Int
        var y: Int
        var rgb: [Int]
    }

    struct OKImage: Sendable, CustomStringConvertible {
        var file: String
        var format: String
        var storedSize: [Int]
        var displaySize: [Int]
        var orientation: Int
        var tolerance: Int
        var probes: [Probe]
        var description: String { file }
    }

    struct BadFile: Sendable, CustomStringConvertible {
        var file: String
        var error: String
        var description: String { file }
    }

    struct HeatmapFormat: Sendable, CustomStringConvertible {
        var file: String
        var format: String
        var values: [[Double]]
        var description: String { file }
    }

    private static func list(_ key: String) -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: imagesDirectory + "/expected.json"),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        return object[key] as? [[String: Any]] ?? []
    }

    static let okImages: [OKImage] = list("images").map { entry in
        let probes = (entry["probes"] as? [[String: Any]] ?? []).map {
            Probe(x: $0["x"] as? Int ?? -1, y: $0["y"] as? Int ?? -1, rgb: $0["rgb"] as? [Int] ?? [])
        }
        return OKImage(
            file: entry["file"] as? String ?? "?", format: entry["format"] as? String ?? "?",
            storedSize: entry["stored_size"] as? [Int] ?? [], displaySize: entry["display_size"] as? [Int] ?? [],
            orientation: entry["exif_orientation"] as? Int ?? 1, tolerance: entry["tolerance"] as? Int ?? 0,
            probes: probes)
    }

    static let badImages: [BadFile] = list("bad_images").map {
        BadFile(file: $0["file"] as? String ?? "?", error: $0["error"] as? String ?? "?")
    }

    static let badHeatmaps: [BadFile] = list("bad_heatmaps").map {
        BadFile(file: $0["file"] as? String ?? "?", error: $0["error"] as? String ?? "?")
    }

    static let heatmapFormats: [HeatmapFormat] = list("heatmap_formats").map {
        let format = ($0["format"] as? [String: Any])?["format"] as? String ?? "?"
        return HeatmapFormat(
            file: $0["file"] as? String ?? "?", format: format, values: $0["values_float32"] as? [[Double]] ?? [])
    }

    /// The code of a thrown error, or nil when nothing (or something else) was thrown.
    static func code<T>(_ body: () throws(EngineError) -> T) -> EngineErrorCode? {
        do {
            _ = try body()
            return nil
        } catch {
            return error.code
        }
    }
}
