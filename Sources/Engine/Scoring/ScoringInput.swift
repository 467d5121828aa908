/// Everything one scoring run needs: the image size (display orientation), its regions, the raw heatmaps `R`
/// (one per keyword label, in the caller's order) and the optional description.
public struct ScoringInput: Sendable {
    public var width: Int
    public var height: Int
    public var regions: RegionSet
    /// Raw heatmaps as read (`HeatmapReader`); normalised by the scorer (§3).
    public var heatmaps: [(label: String, map: FloatMap)]
    public var description: String?

    public init(
        width: Int, height: Int, regions: RegionSet, heatmaps: [(label: String, map: FloatMap)],
        description: String? = nil
    ) {
        self.width = width
        self.height = height
        self.regions = regions
        self.heatmaps = heatmaps
        self.description = description
    }
}
