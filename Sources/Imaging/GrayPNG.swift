/// A grayscale PNG read as values: `values[y * width + x]` is the sample divided by 255 (8-bit) or 65535 (16-bit).
///
/// Produced by `ImageDecoder.decodeGrayHeatmapPNG` for PNG heatmaps (scoring.md §3).
public struct GrayPNG: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// 8 or 16.
    public var bitDepth: Int
    /// Row-major samples scaled to [0, 1], as `Float`.
    public var values: [Float]

    public init(width: Int, height: Int, bitDepth: Int, values: [Float]) {
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.values = values
    }
}
