/// One annotated region: a label (plus aliases), its kind, optional per-region thresholds and the shapes whose union
/// is its mask (scoring.md §2, §5). Regions that share a label form one mask (see `RegionGroup`).
public struct Region: Sendable, Equatable {
    public var label: String
    public var aliases: [String]
    public var kind: RegionKind
    /// Overrides the project's `min_energy` (focus regions).
    public var minEnergy: Double?
    /// Overrides the project's `min_coverage` (focus regions).
    public var minCoverage: Double?
    /// Overrides the project's `max_energy` (avoid regions).
    public var maxEnergy: Double?
    public var shapes: [Shape]

    public init(
        label: String, aliases: [String] = [], kind: RegionKind = .focus, minEnergy: Double? = nil,
        minCoverage: Double? = nil, maxEnergy: Double? = nil, shapes: [Shape]
    ) {
        self.label = label
        self.aliases = aliases
        self.kind = kind
        self.minEnergy = minEnergy
        self.minCoverage = minCoverage
        self.maxEnergy = maxEnergy
        self.shapes = shapes
    }

    /// The JSON form, as in a `REGIONS.json` file (optional members only when set).
    public func toJSON() -> JSONValue {
        var members: [(String, JSONValue)] = [("label", .string(label))]
        if !aliases.isEmpty { members.append(("aliases", .array(aliases.map { .string($0) }))) }
        members.append(("kind", .string(kind.rawValue)))
        if let minEnergy { members.append(("min_energy", .number(minEnergy))) }
        if let minCoverage { members.append(("min_coverage", .number(minCoverage))) }
        if let maxEnergy { members.append(("max_energy", .number(maxEnergy))) }
        members.append(("shapes", .array(shapes.map { $0.toJSON() })))
        return .object(members)
    }
}
