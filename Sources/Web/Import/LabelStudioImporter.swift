import Engine
import Foundation

/// Reads a Label Studio JSON export (a list of tasks with `data.image` and `annotations[].result[]`; also the
/// `JSON_MIN` form): `rectanglelabels` (rotation about the top-left corner), `polygonlabels` and `ellipselabels`.
/// Label Studio coordinates are percent of the image, so they are scaled by the stored image's size.
enum LabelStudioImporter {
    static let types = ["rectanglelabels", "polygonlabels", "ellipselabels"]

    static func parseAnnotations(_ bytes: [UInt8]) throws(EngineError) -> [ImportedImage] {
        let root = try JSONParser.parse(bytes)
        guard let tasks = root.arrayValue ?? (root["data"] != nil ? [root] : nil) else {
            throw EngineError(.invalidRegion, "a Label Studio export is a JSON list of tasks")
        }
        var entries: [ImportedImage] = []
        for task in tasks {
            guard let source = imageSource(task) else { continue }
            let name = fileName(fromSource: source)
            guard !name.isEmpty else { continue }
            var entry = ImportedImage(
                fileName: name, alternateNames: alternateNames(name), referenceWidth: 100, referenceHeight: 100,
                regions: [])
            for result in results(task) {
                entry.regions += readRegions(result)
            }
            entries.append(entry)
        }
        return entries
    }

    /// `data.image` (or the first string of `data`), or `image` in the JSON_MIN form.
    static func imageSource(_ task: JSONValue) -> String? {
        if let data = task["data"] {
            if let image = data["image"]?.stringValue { return image }
            return data.objectValue?.first(where: { $0.1.stringValue != nil })?.1.stringValue
        }
        return task["image"]?.stringValue
    }

    /// Result items of the task's non-cancelled annotations (predictions when there are none); JSON_MIN items.
    static func results(_ task: JSONValue) -> [JSONValue] {
        func collect(_ list: [JSONValue]?) -> [JSONValue] {
            (list ?? []).filter { $0["was_cancelled"]?.boolValue != true }
                .flatMap { $0["result"]?.arrayValue ?? [] }
        }
        let annotated = collect(task["annotations"]?.arrayValue ?? task["completions"]?.arrayValue)
        if !annotated.isEmpty { return annotated }
        let predicted = collect(task["predictions"]?.arrayValue)
        if !predicted.isEmpty { return predicted }
        // JSON_MIN: every list member of the task whose items carry coordinates.
        return (task.objectValue ?? []).flatMap { member -> [JSONValue] in
            (member.1.arrayValue ?? []).filter { $0["x"] != nil || $0["points"] != nil }
        }
    }

    static func readRegions(_ result: JSONValue) -> [ImportedImage.Region] {
        let value = result["value"] ?? result
        let type = result["type"]?.stringValue ?? types.first { value[$0] != nil } ?? ""
        let labels = (value[type]?.arrayValue ?? value["labels"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard !labels.isEmpty else { return [] }
        let shape: ImportedShape
        switch type {
        case "rectanglelabels":
            guard let x = value["x"]?.numberValue, let y = value["y"]?.numberValue,
                let width = value["width"]?.numberValue, let height = value["height"]?.numberValue
            else { return [] }
            shape = .rect(x: x, y: y, width: width, height: height, rotation: value["rotation"]?.numberValue ?? 0)
        case "polygonlabels":
            let points = (value["points"]?.arrayValue ?? []).compactMap { point -> (Double, Double)? in
                guard let pair = point.arrayValue, pair.count == 2, let x = pair[0].numberValue, let y = pair[1].numberValue
                else { return nil }
                return (x, y)
            }
            guard points.count >= 3 else { return [] }
            shape = .polygon(points: points)
        case "ellipselabels":
            guard let x = value["x"]?.numberValue, let y = value["y"]?.numberValue,
                let rx = value["radiusX"]?.numberValue, let ry = value["radiusY"]?.numberValue
            else { return [] }
            shape = .ellipse(cx: x, cy: y, rx: rx, ry: ry, angle: value["rotation"]?.numberValue ?? 0)
        default:
            return []
        }
        return labels.map { ImportedImage.Region(label: $0, shapes: [shape]) }
    }

    /// The file name in an image URL: `/data/upload/3/8b1f2c3d-cat.jpg` → `8b1f2c3d-cat.jpg`,
    /// `/data/local-files/?d=photos/cat.jpg` → `cat.jpg`.
    static func fileName(fromSource source: String) -> String {
        var path = source
        if let components = URLComponents(string: source) {
            if let d = components.queryItems?.first(where: { $0.name == "d" })?.value, !d.isEmpty {
                path = d
            } else {
                path = components.path
            }
        }
        path = path.removingPercentEncoding ?? path
        return COCOImporter.baseName(path)
    }

    /// Label Studio prefixes uploaded files with 8 hex digits and a hyphen.
    static func alternateNames(_ name: String) -> [String] {
        let parts = name.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 8, parts[0].allSatisfy(\.isHexDigit) else { return [] }
        return [String(parts[1])]
    }
}
