/// The §3 pipeline from a raw heatmap `R` to the normalised map `g` at image size, in `Float` exactly as
/// pytorch-grad-cam's `scale_cam_image` does it:
/// `r = max(R, 0)`; `n = (r − min r) / (1e-7 + max(r − min r))`; `u = resize(n)` (`BilinearResizer`);
/// `m = max(u, 0)`; `g = (m − min m) / (1e-7 + max(m − min m))`.
///
/// A map with no positive value (or a constant map) yields all zeros, as the formula does.
public enum HeatmapNormalizer {
    /// `1e-7` rounded to `Float`, as NumPy adds it to a `float32` maximum.
    static let epsilon: Float = 1e-7

    /// The normalised map `g` of `raw` at `width × height`.
    public static func normalize(_ raw: FloatMap, width: Int, height: Int) -> FloatMap {
        // Steps 1–2 on the (small) source map.
        var n = raw.values
        n.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = max(buffer[i], 0) }
            minMaxNormalize(buffer)
        }
        let source = FloatMap(width: raw.width, height: raw.height, values: n)
        // Step 3, then 4 in place on the output.
        var output = [Float](repeating: 0, count: width * height)
        output.withUnsafeMutableBufferPointer { buffer in
            BilinearResizer.resize(source, into: buffer.baseAddress!, width: width, height: height)
            for i in buffer.indices { buffer[i] = max(buffer[i], 0) }
            minMaxNormalize(buffer)
        }
        return FloatMap(width: width, height: height, values: output)
    }

    /// `v = (v − min v) / (1e-7 + max(v − min v))`, in place, in `Float`.
    static func minMaxNormalize(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let base = values.baseAddress, values.count > 0 else { return }
        let count = values.count
        var low = base[0]
        var x = 0
        if count >= 8 {
            var lows = UnsafeRawPointer(base).loadUnaligned(as: SIMD8<Float>.self)
            x = 8
            while x + 8 <= count {
                lows = pointwiseMin(lows, UnsafeRawPointer(base + x).loadUnaligned(as: SIMD8<Float>.self))
                x += 8
            }
            low = lows.min()
        }
        while x < count { low = min(low, base[x]); x += 1 }
        // Shift and find the maximum of the shifted values.
        var high: Float = -.infinity
        x = 0
        let shift = SIMD8<Float>(repeating: low)
        var highs = SIMD8<Float>(repeating: -.infinity)
        while x + 8 <= count {
            let shifted = UnsafeRawPointer(base + x).loadUnaligned(as: SIMD8<Float>.self) - shift
            UnsafeMutableRawPointer(base + x).storeBytes(of: shifted, as: SIMD8<Float>.self)
            highs = pointwiseMax(highs, shifted)
            x += 8
        }
        high = highs.max()
        while x < count {
            base[x] -= low
            high = max(high, base[x])
            x += 1
        }
        let denominator = epsilon + high
        let divisor = SIMD8<Float>(repeating: denominator)
        x = 0
        while x + 8 <= count {
            let value = UnsafeRawPointer(base + x).loadUnaligned(as: SIMD8<Float>.self) / divisor
            UnsafeMutableRawPointer(base + x).storeBytes(of: value, as: SIMD8<Float>.self)
            x += 8
        }
        while x < count { base[x] /= denominator; x += 1 }
    }
}
