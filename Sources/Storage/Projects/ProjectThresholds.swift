/// A project's default verdict thresholds (scoring.md §5) and the hot threshold that binarises heatmaps.
/// Regions may override the first three.
public struct ProjectThresholds: Sendable, Equatable, Codable {
    /// Focus regions: minimum share of heatmap energy inside the region (default 0.50).
    public var minEnergy: Float
    /// Focus regions: minimum share of the region covered by hot pixels (default 0.70).
    public var minCoverage: Float
    /// Avoid regions: maximum share of heatmap energy inside the region (default 0.10).
    public var maxEnergy: Float
    /// A heatmap pixel is "hot" at or above this value (default 0.5).
    public var hotThreshold: Float

    public init(minEnergy: Float = 0.5, minCoverage: Float = 0.7, maxEnergy: Float = 0.1, hotThreshold: Float = 0.5) {
        self.minEnergy = minEnergy
        self.minCoverage = minCoverage
        self.maxEnergy = maxEnergy
        self.hotThreshold = hotThreshold
    }

    /// The scoring.md defaults.
    public static let defaults = ProjectThresholds()

    /// Why these values are unusable, or `nil`.
    public func validate() -> String? {
        for (name, value) in [("min energy", minEnergy), ("min coverage", minCoverage), ("max energy", maxEnergy)]
        where !(0...1).contains(value) || value.isNaN {
            return "\(name) must be between 0 and 1"
        }
        if !(hotThreshold > 0 && hotThreshold < 1) { return "hot threshold must be between 0 and 1 (exclusive)" }
        return nil
    }
}
