/// A diagnosis together with the intermediate maps it was computed from, so overlays can be rendered
/// without recomputing: the normalised map `g` of every heatmap and the union mask of every region label.
public struct ScoringEvaluation: Sendable {
    public var diagnosis: Diagnosis
    /// `g` (§3) per heatmap label, in input order.
    public var normalizedHeatmaps: [(label: String, g: FloatMap)]
    /// Union mask per region label (first spelling), in region order.
    public var masks: [(label: String, kind: RegionKind, mask: Mask)]

    public init(
        diagnosis: Diagnosis, normalizedHeatmaps: [(label: String, g: FloatMap)],
        masks: [(label: String, kind: RegionKind, mask: Mask)]
    ) {
        self.diagnosis = diagnosis
        self.normalizedHeatmaps = normalizedHeatmaps
        self.masks = masks
    }
}
