/// A 2-D map of `Float` values, row-major (`values[y * width + x]`): a raw heatmap `R`, its resized or normalised forms.
public struct FloatMap: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(width >= 0 && height >= 0 && values.count == width * height, "FloatMap: size mismatch")
        self.width = width
        self.height = height
        self.values = values
    }
}
