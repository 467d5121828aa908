import Engine

/// Everything the worker needs to score one run, read in one go: the image size, the current regions version,
/// the project thresholds, the run's description and its raw heatmaps.
public struct ScoringSnapshot: Sendable {
    public var run: Run
    public var imageWidth: Int
    public var imageHeight: Int
    /// The image's current regions version (`nil`: no regions saved yet).
    public var regionVersion: RegionVersion?
    public var thresholds: ProjectThresholds
    public var heatmaps: [(heatmap: RunHeatmap, map: FloatMap)]

    public init(
        run: Run, imageWidth: Int, imageHeight: Int, regionVersion: RegionVersion?, thresholds: ProjectThresholds,
        heatmaps: [(heatmap: RunHeatmap, map: FloatMap)]
    ) {
        self.run = run
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.regionVersion = regionVersion
        self.thresholds = thresholds
        self.heatmaps = heatmaps
    }
}
