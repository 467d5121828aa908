import Engine
import Storage

/// Checks a submitted region set with the engine before anything is stored: it must parse as `REGIONS.json`
/// (`RegionSet.parse`) and every label's mask must be non-empty on the image (`Rasterizer.validate`).
public enum RegionSetValidator {
    /// The parsed set, or the engine's error (`invalid_json`, `invalid_region`, `empty_region`).
    public static func validateRegions(_ bytes: [UInt8], image: Image) throws(EngineError) -> RegionSet {
        let set = try RegionSet.parse(bytes)
        try validateRegions(set, image: image)
        return set
    }

    /// Rasterises the set on the image's display-orientation size.
    public static func validateRegions(_ set: RegionSet, image: Image) throws(EngineError) {
        try Rasterizer.validate(set, width: image.width, height: image.height)
    }

    /// JSON text with one region per line (readable in the no-script textarea, and still `REGIONS.json`).
    public static func formatRegions(_ set: RegionSet) -> String {
        if set.regions.isEmpty { return "{\"regions\": []}" }
        let lines = set.regions.map { "  " + JSONWriter.serialize($0.toJSON()) }
        return "{\"regions\": [\n" + lines.joined(separator: ",\n") + "\n]}"
    }

    /// A short "what changed" line comparing two sets by label (used when the author typed no summary).
    public static func summarizeChanges(from old: RegionSet?, to new: RegionSet) -> String {
        func byLabel(_ set: RegionSet?) -> [String: String] {
            var result: [String: String] = [:]
            for region in set?.regions ?? [] {
                result[region.label, default: ""] += JSONWriter.serialize(region.toJSON())
            }
            return result
        }
        let before = byLabel(old)
        let after = byLabel(new)
        let added = after.keys.filter { before[$0] == nil }.sorted()
        let removed = before.keys.filter { after[$0] == nil }.sorted()
        let changed = after.keys.filter { before[$0] != nil && before[$0] != after[$0] }.sorted()
        var parts: [String] = []
        if !added.isEmpty { parts.append("added " + added.joined(separator: ", ")) }
        if !changed.isEmpty { parts.append("changed " + changed.joined(separator: ", ")) }
        if !removed.isEmpty { parts.append("removed " + removed.joined(separator: ", ")) }
        return parts.isEmpty ? "no change" : parts.joined(separator: "; ")
    }
}
