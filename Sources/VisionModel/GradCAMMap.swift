/// A raw Grad-CAM map: `max(0, Σ_k α_k · A_k)` at the layer's resolution, no min-max and no resize.
public struct GradCAMMap: Sendable, Equatable {
    /// The target class.
    public let classIndex: Int
    /// The layer it was taken at.
    public let layer: GradCAMLayer
    /// Map width (= height): 7 or 14.
    public let width: Int
    /// Map height.
    public let height: Int
    /// The raw CAM, row-major, `width * height` values ≥ 0.
    public let values: [Float]
    /// The channel weights α (1280 or 112 values).
    public let alpha: [Float]

    public init(classIndex: Int, layer: GradCAMLayer, width: Int, height: Int, values: [Float], alpha: [Float]) {
        self.classIndex = classIndex
        self.layer = layer
        self.width = width
        self.height = height
        self.values = values
        self.alpha = alpha
    }
}
