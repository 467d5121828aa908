import Engine

/// The annotations an import file holds for one image, before they are matched to a project image.
struct ImportedImage: Sendable {
    /// One labelled region as read from the file.
    struct Region: Sendable {
        var label: String
        var kind: String = "focus"
        var aliases: [String] = []
        var shapes: [ImportedShape]
    }

    /// The file name to match (base name, as the file gives it).
    var fileName: String
    /// Other names that may match (Label Studio's upload prefix removed).
    var alternateNames: [String] = []
    /// The image width and height the coordinates refer to (COCO's `width`/`height`; `nil` = the stored image's
    /// size); percent units (Label Studio) use 100 × 100.
    var referenceWidth: Double?
    var referenceHeight: Double?
    var regions: [Region]

    /// The `REGIONS.json` object for a stored image of `width × height`: one region per label (shapes of
    /// repeated labels merged, in order of first appearance).
    func makeRegionSet(width: Int, height: Int) -> JSONValue {
        let scaleX = referenceWidth.map { Double(width) / $0 } ?? 1
        let scaleY = referenceHeight.map { Double(height) / $0 } ?? 1
        var order: [String] = []
        var merged: [String: Region] = [:]
        for region in regions {
            if var existing = merged[region.label] {
                existing.shapes += region.shapes
                for alias in region.aliases where !existing.aliases.contains(alias) { existing.aliases.append(alias) }
                merged[region.label] = existing
            } else {
                order.append(region.label)
                merged[region.label] = region
            }
        }
        let items: [JSONValue] = order.compactMap { label in
            guard let region = merged[label] else { return nil }
            var members: [(String, JSONValue)] = [("label", .string(label))]
            if !region.aliases.isEmpty { members.append(("aliases", .array(region.aliases.map { .string($0) }))) }
            members.append(("kind", .string(region.kind)))
            members.append(("shapes", .array(region.shapes.map { $0.toJSON(scaleX: scaleX, scaleY: scaleY) })))
            return .object(members)
        }
        return .object([("regions", .array(items))])
    }
}
