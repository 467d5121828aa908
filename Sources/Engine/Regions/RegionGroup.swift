/// All regions that share one label (compared after trimming, case-insensitively): one mask, one verdict.
///
/// `label` is the first region's label as written (the key of `attention_diagnosis`); `aliases` is the union of the
/// members' aliases in order; each threshold is the first one set among the members; `shapes` are all members'
/// shapes in order. All members have the same `kind` (`RegionSet.parse` refuses a label with two kinds).
public struct RegionGroup: Sendable, Equatable {
    public var label: String
    public var key: String
    public var aliases: [String]
    public var kind: RegionKind
    public var minEnergy: Double?
    public var minCoverage: Double?
    public var maxEnergy: Double?
    public var shapes: [Shape]
    /// Indices into `RegionSet.regions` of the members, in order.
    public var regionIndices: [Int]

    /// The matching key of a label or alias: trimmed of white space, lowercased.
    public static func key(for name: String) -> String {
        let scalars = name.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last])).lowercased()
    }

    /// Whether `name` (a heatmap label) names this group: equal to the label or an alias after trimming,
    /// case-insensitively.
    public func matches(_ name: String) -> Bool {
        let wanted = RegionGroup.key(for: name)
        return wanted == key || aliases.contains { RegionGroup.key(for: $0) == wanted }
    }
}
