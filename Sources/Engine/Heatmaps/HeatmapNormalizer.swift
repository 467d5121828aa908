/// The §3 pipeline from a raw heatmap `R` to the normalised map `g` at image size, in `Float` exactly as
/// pytorch-grad-cam's `scale_cam_image` does it:
/// `r = max(R, 0)`; `n = (r − min r) / (1e-7 + max(r − min r))`; `u = resize(n)` (`BilinearResizer`);
/// `m = max(u, 0)`; `g = (m − min m) / (1e-7 + max(m − min m))`.
///
/// A map with no positive value (or a constant map) yields all zeros, as the formula does. Besides the resize, the
/// full-size work is one pass for the extremes and one for the division (`max(v − lo) = max(v) − lo` because
/// rounding is monotone), so the result equals the step-by-step NumPy evaluation bit for bit.
public enum HeatmapNormalizer {
    /// `1e-7` rounded to `Float`, as NumPy adds it to a `float32` maximum.
    static let epsilon: Float = 1e-7

    /// The normalised map `g` of `raw` at `width × height`.
    public static func normalize(_ raw: FloatMap, width: Int, height: Int) -> FloatMap {
        guard width > 0, height > 0 else { return FloatMap(width: max(width, 0), height: max(height, 0), values: []) }
        // Steps 1–2 on the (usually small) source map.
        var n = raw.values
        n.withUnsafeMutableBufferPointer { minMaxNormalize($0) }
        let source = FloatMap(width: raw.width, height: raw.height, values: n)
        // Step 3, then 4 in place on the output.
        let count = width * height
        let output = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            BilinearResizer.resize(source, into: buffer.baseAddress!, width: width, height: height)
            initialized = count
            minMaxNormalize(buffer)
        }
        return FloatMap(width: width, height: height, values: output)
    }

    /// `v = (max(v, 0) − lo) / (1e-7 + (hi − lo))` in place, in `Float`, where `lo` and `hi` are the extremes of
    /// `max(v, 0)`. Non-negative floats order like their bit patterns, so the extremes are integer reductions
    /// (which vectorise); the values must be finite.
    static func minMaxNormalize(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let base = values.baseAddress, values.count > 0 else { return }
        let count = values.count
        var lowBits = Int32.max
        var highBits: Int32 = 0
        base.withMemoryRebound(to: Int32.self, capacity: count) { bits in
            // Negative floats (sign bit set) are negative Int32s: clamping them to 0 is the ReLU (+0).
            var lows = SIMD4<Int32>(repeating: .max)
            var highs = SIMD4<Int32>(repeating: 0)
            let zero = SIMD4<Int32>(repeating: 0)
            var i = 0
            while i + 4 <= count {
                var v = UnsafeRawPointer(bits + i).loadUnaligned(as: SIMD4<Int32>.self)
                v.replace(with: zero, where: v .< zero)
                lows.replace(with: v, where: v .< lows)
                highs.replace(with: v, where: v .> highs)
                i += 4
            }
            lowBits = lows.min()
            highBits = highs.max()
            while i < count {
                let rectified = max(bits[i], 0)
                lowBits = min(lowBits, rectified)
                highBits = max(highBits, rectified)
                i += 1
            }
        }
        let low = Float(bitPattern: UInt32(bitPattern: lowBits))
        let high = Float(bitPattern: UInt32(bitPattern: highBits))
        let denominator = epsilon + (high - low)
        for i in 0..<count {
            let v = base[i]
            base[i] = ((v < 0 ? 0 : v) - low) / denominator
        }
    }
}
