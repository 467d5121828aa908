/// Size limits checked from an image header before any pixel is decoded (scoring.md §7).
public struct ImageLimits: Sendable, Equatable {
    /// Largest accepted pixel count (width × height).
    public var maxPixels: Int
    /// Largest accepted side, in pixels.
    public var maxSide: Int

    public init(maxPixels: Int = 50_000_000, maxSide: Int = 20_000) {
        self.maxPixels = maxPixels
        self.maxSide = maxSide
    }

    /// The contract's limits: 50·10⁶ pixels, 20 000 px a side.
    public static let standard = ImageLimits()
}
