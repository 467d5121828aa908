/// The scoring.md §4 metrics of one normalised heatmap `g` against one region mask `M`.
///
/// Optional values are `nil` exactly where §3/§4 say `null` (no positive attention, or `|M| = W·H` for `auc`).
public struct MetricSet: Sendable, Equatable {
    /// `Σ g·M / Σ g` (the seed's `concentration_score`).
    public var energyRatio: Double?
    /// `#{g ≥ τ ∧ M} / |M|`.
    public var coverage: Double
    /// `#{g ≥ τ ∧ M} / #{g ≥ τ ∨ M}`.
    public var iou: Double
    /// `#{g ≥ τ} / (W·H)`.
    public var hotArea: Double
    /// Whether the first row-major argmax lies within the pointing tolerance of a mask pixel.
    public var pointingGame: Bool?
    /// Fraction of the `|M|` largest values (ties by lower row-major index) that lie in `M`.
    public var rankAccuracy: Double
    /// ROC AUC of `g` as a score for `M` (Mann–Whitney, ties ½).
    public var auc: Double?
    /// Smallest fraction of pixels holding half of `Σ g`.
    public var spread: Double?
    /// Attention-weighted centre.
    public var centroid: Centroid?
    /// `"diffuse"`, a 3 × 3 grid cell such as `"upper-left"`, or `"center"`; `nil` without attention.
    public var direction: String?

    public init(
        energyRatio: Double?, coverage: Double, iou: Double, hotArea: Double, pointingGame: Bool?,
        rankAccuracy: Double, auc: Double?, spread: Double?, centroid: Centroid?, direction: String?
    ) {
        self.energyRatio = energyRatio
        self.coverage = coverage
        self.iou = iou
        self.hotArea = hotArea
        self.pointingGame = pointingGame
        self.rankAccuracy = rankAccuracy
        self.auc = auc
        self.spread = spread
        self.centroid = centroid
        self.direction = direction
    }
}
