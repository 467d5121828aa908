/// The attention-weighted centre of a heatmap, in the continuous image plane (pixel `(x, y)` has centre `(x+0.5, y+0.5)`).
public struct Centroid: Sendable, Equatable {
    /// Column coordinate, in pixels.
    public var x: Double
    /// Row coordinate, in pixels.
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
