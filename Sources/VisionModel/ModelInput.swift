import Imaging

/// The network input: a float32 tensor (3, 224, 224) in channel order R, G, B with values (v − 127) / 128.
public struct ModelInput: Sendable, Equatable {
    /// Side of the square input, in pixels.
    public static let side = 224
    /// Number of floats in an input tensor (3 · 224 · 224).
    public static let count = 3 * side * side

    /// The tensor, C×H×W row-major.
    public let values: [Float]

    /// Wraps an already preprocessed tensor of exactly `ModelInput.count` values.
    public init(values: [Float]) throws(VisionModelError) {
        guard values.count == Self.count else {
            throw VisionModelError(.invalidInput, "model input needs \(Self.count) values (3×224×224), got \(values.count)")
        }
        guard values.allSatisfy({ $0.isFinite }) else {
            throw VisionModelError(.invalidInput, "model input contains NaN or infinite values")
        }
        self.values = values
    }

    /// Preprocesses a decoded image (ARCHITECTURE.md §1): the whole image resized to 224×224 with OpenCV
    /// `INTER_LINEAR` semantics in floating point (half-pixel centres, clamped edges, no antialiasing, no rounding),
    /// separably x then y, then normalised to (v − 127) / 128.
    public init(image: RGBImage) {
        self.values = Self.preprocess(pixels: image.pixels, width: image.width, height: image.height)
    }

    /// Decodes an image file (JPEG or PNG, EXIF orientation applied) and preprocesses it.
    /// Throws the decoder's `EngineError` (`.unreadableImage`, `.imageTooLarge`).
    public init(contentsOfImage path: String, limits: ImageLimits = .standard) throws(EngineError) {
        self.init(image: try ImageDecoder.decode(contentsOf: path, limits: limits))
    }

    /// Decodes image bytes (JPEG or PNG) and preprocesses them.
    public init(imageBytes: [UInt8], limits: ImageLimits = .standard) throws(EngineError) {
        self.init(image: try ImageDecoder.decode(imageBytes, limits: limits))
    }

    /// Per output index: the two source indices and the weight of the second, for one axis.
    static func interpolationTaps(source: Int, destination: Int) -> (i0: [Int], i1: [Int], t: [Float]) {
        var i0 = [Int](repeating: 0, count: destination)
        var i1 = [Int](repeating: 0, count: destination)
        var t = [Float](repeating: 0, count: destination)
        let scale = Double(source) / Double(destination)
        for d in 0..<destination {
            let s = (Double(d) + 0.5) * scale - 0.5
            var lower = Int(s.rounded(.down))
            var weight = s - Double(lower)
            if lower < 0 {
                lower = 0
                weight = 0
            }
            if lower >= source - 1 {
                lower = source - 1
                weight = 0
            }
            i0[d] = lower
            i1[d] = min(lower + 1, source - 1)
            t[d] = Float(weight)
        }
        return (i0, i1, t)
    }

    static func preprocess(pixels: [UInt8], width: Int, height: Int) -> [Float] {
        let side = Self.side
        let xs = interpolationTaps(source: width, destination: side)
        let ys = interpolationTaps(source: height, destination: side)
        // Horizontal pass: tmp[y][X][ch] for every source row.
        var tmp = [Float](repeating: 0, count: height * side * 3)
        pixels.withUnsafeBufferPointer { src in
            tmp.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let row = y * width * 3
                    let out = y * side * 3
                    for x in 0..<side {
                        let a = row + xs.i0[x] * 3
                        let b = row + xs.i1[x] * 3
                        let t = xs.t[x]
                        for ch in 0..<3 {
                            dst[out + x * 3 + ch] = (1 - t) * Float(src[a + ch]) + t * Float(src[b + ch])
                        }
                    }
                }
            }
        }
        // Vertical pass and normalisation into C×H×W.
        var values = [Float](repeating: 0, count: Self.count)
        tmp.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                let plane = side * side
                for y in 0..<side {
                    let a = ys.i0[y] * side * 3
                    let b = ys.i1[y] * side * 3
                    let t = ys.t[y]
                    for x in 0..<side {
                        for ch in 0..<3 {
                            let r = (1 - t) * src[a + x * 3 + ch] + t * src[b + x * 3 + ch]
                            dst[ch * plane + y * side + x] = (r - 127) / 128
                        }
                    }
                }
            }
        }
        return values
    }
}
