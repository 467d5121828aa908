/// Verdict thresholds (scoring.md §5): the project's defaults, overridable per region.
public struct ScoringThresholds: Sendable, Equatable {
    /// A focus region passes only with `energy_ratio ≥ minEnergy`.
    public var minEnergy: Double
    /// A focus region passes only with `coverage ≥ minCoverage`.
    public var minCoverage: Double
    /// An avoid region passes only while every heatmap has `energy_ratio ≤ maxEnergy` inside it.
    public var maxEnergy: Double

    public init(minEnergy: Double = 0.5, minCoverage: Double = 0.7, maxEnergy: Double = 0.1) {
        self.minEnergy = minEnergy
        self.minCoverage = minCoverage
        self.maxEnergy = maxEnergy
    }

    /// The contract's defaults: 0.50 / 0.70 / 0.10.
    public static let standard = ScoringThresholds()
}
