import Engine

/// The annotation file formats the region import reads.
enum ImportFormat: String, Sendable, CaseIterable {
    case coco
    case labelStudio = "labelstudio"

    /// Human name for messages.
    var title: String {
        switch self {
        case .coco: "COCO"
        case .labelStudio: "Label Studio"
        }
    }

    /// COCO for an object with `images` and `annotations`, Label Studio for a list; `nil` otherwise.
    static func detectFormat(_ bytes: [UInt8]) throws(EngineError) -> ImportFormat? {
        let root = try JSONParser.parse(bytes)
        if root["images"] != nil && root["annotations"] != nil { return .coco }
        if root.arrayValue != nil || root["data"] != nil { return .labelStudio }
        return nil
    }

    func parseAnnotations(_ bytes: [UInt8]) throws(EngineError) -> [ImportedImage] {
        switch self {
        case .coco: try COCOImporter.parseAnnotations(bytes)
        case .labelStudio: try LabelStudioImporter.parseAnnotations(bytes)
        }
    }
}
