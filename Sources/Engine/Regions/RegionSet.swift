/// The annotated regions of one image (`REGIONS.json`: `{"regions": [...]}`), validated per scoring.md §7.
public struct RegionSet: Sendable, Equatable {
    public var regions: [Region]

    public init(regions: [Region]) {
        self.regions = regions
    }

    /// Parses `REGIONS.json` bytes: unparseable JSON is `invalid_json`, a wrong structure `invalid_region`.
    public static func parse(_ bytes: [UInt8]) throws(EngineError) -> RegionSet {
        try parse(JSONParser.parse(bytes))
    }

    /// Validates an already parsed `{"regions": [...]}` object (e.g. embedded in a batch line); throws
    /// `invalid_region` for: a top level that is not an object, a missing or empty `regions` list, an empty label,
    /// one label with two kinds, unknown shape types, strings (or anything else) where numbers belong, non-finite
    /// or overflowing numbers, width/height/radius ≤ 0, fewer than 3 polygon points, RLE counts that are negative or
    /// don't sum to H×W.
    public static func parse(_ value: JSONValue) throws(EngineError) -> RegionSet {
        try RegionParser.parseSet(value)
    }

    /// The JSON form (`{"regions": [...]}`); `parse(toJSON())` gives back an equal set.
    public func toJSON() -> JSONValue {
        .object([("regions", .array(regions.map { $0.toJSON() }))])
    }

    /// The regions grouped by label (trimmed, case-insensitive), in order of first appearance.
    public var groups: [RegionGroup] {
        var result: [RegionGroup] = []
        var position: [String: Int] = [:]
        for (index, region) in regions.enumerated() {
            let key = RegionGroup.key(for: region.label)
            if let at = position[key] {
                var group = result[at]
                for alias in region.aliases where !group.aliases.contains(alias) { group.aliases.append(alias) }
                group.minEnergy = group.minEnergy ?? region.minEnergy
                group.minCoverage = group.minCoverage ?? region.minCoverage
                group.maxEnergy = group.maxEnergy ?? region.maxEnergy
                group.shapes += region.shapes
                group.regionIndices.append(index)
                result[at] = group
            } else {
                position[key] = result.count
                result.append(RegionGroup(
                    label: region.label, key: key, aliases: region.aliases, kind: region.kind,
                    minEnergy: region.minEnergy, minCoverage: region.minCoverage, maxEnergy: region.maxEnergy,
                    shapes: region.shapes, regionIndices: [index]))
            }
        }
        return result
    }
}
