/// Run-wide scoring settings: hot threshold `τ`, pointing tolerance and the project's default thresholds.
public struct ScoringOptions: Sendable, Equatable {
    /// `τ` of §4 (`coverage`, `iou`, `hot_area`).
    public var hotThreshold: Double
    /// Pointing-game tolerance in pixels (0: the argmax pixel itself must be in the mask).
    public var pointingTolerance: Double
    /// Defaults for regions that don't set their own thresholds.
    public var thresholds: ScoringThresholds

    public init(
        hotThreshold: Double = Metrics.defaultHotThreshold,
        pointingTolerance: Double = Metrics.defaultPointingTolerance,
        thresholds: ScoringThresholds = .standard
    ) {
        self.hotThreshold = hotThreshold
        self.pointingTolerance = pointingTolerance
        self.thresholds = thresholds
    }
}
