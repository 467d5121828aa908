import Engine

/// Reads a COCO instances file (`images`, `categories`, `annotations`): polygon segmentations become polygons,
/// RLE segmentations (compressed or not) masks, and annotations with neither their `bbox` as a rectangle; the
/// category name is the label. Coordinates are pixels of the `width × height` the file gives for the image.
enum COCOImporter {
    static func parseAnnotations(_ bytes: [UInt8]) throws(EngineError) -> [ImportedImage] {
        let root = try JSONParser.parse(bytes)
        guard let images = root["images"]?.arrayValue, let annotations = root["annotations"]?.arrayValue else {
            throw EngineError(.invalidRegion, "a COCO file needs \"images\" and \"annotations\" lists")
        }
        var categories: [String: String] = [:]
        for category in root["categories"]?.arrayValue ?? [] {
            if let id = category["id"].flatMap(key), let name = category["name"]?.stringValue {
                categories[id] = name
            }
        }
        var entries: [ImportedImage] = []
        var position: [String: Int] = [:]
        for image in images {
            guard let id = image["id"].flatMap(key), let name = image["file_name"]?.stringValue else { continue }
            position[id] = entries.count
            entries.append(
                ImportedImage(
                    fileName: baseName(name), referenceWidth: image["width"]?.numberValue.flatMap(positive),
                    referenceHeight: image["height"]?.numberValue.flatMap(positive), regions: []))
        }
        for annotation in annotations {
            guard let imageID = annotation["image_id"].flatMap(key), let index = position[imageID] else { continue }
            let categoryID = annotation["category_id"].flatMap(key) ?? "?"
            let label = categories[categoryID] ?? "category \(categoryID)"
            let shapes = readShapes(annotation)
            guard !shapes.isEmpty else { continue }
            var region = ImportedImage.Region(label: label, shapes: shapes)
            // Attributes written by Sightline's own export.
            if let attributes = annotation["attributes"] {
                if attributes["kind"]?.stringValue == "avoid" { region.kind = "avoid" }
                region.aliases = (attributes["aliases"]?.arrayValue ?? []).compactMap(\.stringValue)
            }
            entries[index].regions.append(region)
        }
        return entries
    }

    static func readShapes(_ annotation: JSONValue) -> [ImportedShape] {
        if let segmentation = annotation["segmentation"] {
            if let polygons = segmentation.arrayValue, !polygons.isEmpty {
                let shapes: [ImportedShape] = polygons.compactMap { polygon in
                    guard let numbers = polygon.arrayValue?.compactMap(\.numberValue), numbers.count >= 6 else {
                        return nil
                    }
                    let points = stride(from: 0, to: numbers.count - 1, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
                    return .polygon(points: points)
                }
                if !shapes.isEmpty { return shapes }
            } else if let counts = segmentation["counts"], let size = segmentation["size"] {
                return [.mask(size: size, counts: counts)]
            }
        }
        if let box = annotation["bbox"]?.arrayValue?.compactMap(\.numberValue), box.count == 4, box[2] > 0, box[3] > 0 {
            return [.rect(x: box[0], y: box[1], width: box[2], height: box[3], rotation: 0)]
        }
        return []
    }

    /// Ids may be numbers or strings.
    static func key(_ value: JSONValue) -> String? {
        if let number = value.numberValue { return JSONWriter.formatNumber(number) }
        return value.stringValue
    }

    static func positive(_ value: Double) -> Double? { value > 0 && value.isFinite ? value : nil }

    /// The last path component (`a/b/c.jpg` → `c.jpg`).
    static func baseName(_ path: String) -> String {
        String(path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
    }
}
