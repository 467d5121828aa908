/// Bilinear resize with OpenCV `cv2.resize(..., INTER_LINEAR)` semantics for `float32` maps (scoring.md §3 step 3).
///
/// Per axis, OpenCV computes `scale = 1 / (dst / src)` and `f = Float((d + 0.5) · scale − 0.5)` in `Double`, then
/// `i0 = ⌊f⌋`, `t = f − i0` (in `Float`), clamping `i0 < 0` to `0, t = 0` and `i0 ≥ src − 1` to `src − 1, t = 0`; weights
/// are `1 − t` and `t`. Rows are interpolated along x first, then the two rows along y as
/// `row0 · (1 − t) + row1 · t`, all in `Float`. An exact 2× downscale on both axes is OpenCV's INTER_AREA fast path
/// (the 2 × 2 mean, summed as OpenCV's SSE kernel does). Equal sizes return the map unchanged.
///
/// Memory is `O(width)` besides the output: at most two horizontally interpolated source rows are kept.
public enum BilinearResizer {
    /// `map` resized to `width × height`.
    public static func resize(_ map: FloatMap, width: Int, height: Int) -> FloatMap {
        if map.width == width, map.height == height { return map }
        var output = [Float](repeating: 0, count: width * height)
        output.withUnsafeMutableBufferPointer { out in
            resize(map, into: out.baseAddress!, width: width, height: height)
        }
        return FloatMap(width: width, height: height, values: output)
    }

    /// Resizes `map` into `output` (`width * height` floats, row-major).
    public static func resize(_ map: FloatMap, into output: UnsafeMutablePointer<Float>, width: Int, height: Int) {
        map.values.withUnsafeBufferPointer { source in
            let src = source.baseAddress!
            if map.width == width, map.height == height {
                output.update(from: src, count: width * height)
                return
            }
            if isAreaFastHalf(sourceWidth: map.width, sourceHeight: map.height, width: width, height: height) {
                halve(src, sourceWidth: map.width, into: output, width: width, height: height)
                return
            }
            let xAxis = AxisTable(source: map.width, destination: width)
            let yAxis = AxisTable(source: map.height, destination: height)
            let rowBuffer = UnsafeMutablePointer<Float>.allocate(capacity: 2 * width)
            defer { rowBuffer.deallocate() }
            var cachedRows = (-1, -1)  // source row held by slot 0 and slot 1
            for dy in 0..<height {
                let y0 = yAxis.index0[dy]
                let y1 = yAxis.index1[dy]
                // Make sure slot 0 holds row y0 and slot 1 holds row y1 (reusing rows when the window slides).
                let slot0 = rowBuffer
                let slot1 = rowBuffer + width
                if cachedRows.0 != y0 {
                    if cachedRows.1 == y0 {
                        slot0.update(from: slot1, count: width)
                    } else {
                        interpolateRow(src + y0 * map.width, xAxis, into: slot0, width: width)
                    }
                    cachedRows.0 = y0
                    cachedRows.1 = -1
                }
                if cachedRows.1 != y1 {
                    if y1 == y0 {
                        slot1.update(from: slot0, count: width)
                    } else {
                        interpolateRow(src + y1 * map.width, xAxis, into: slot1, width: width)
                    }
                    cachedRows.1 = y1
                }
                blendRows(slot0, slot1, yAxis.weight0[dy], yAxis.weight1[dy], into: output + dy * width, count: width)
            }
        }
    }

    /// OpenCV's per-axis source indices and weights.
    struct AxisTable {
        var index0: [Int]
        var index1: [Int]
        var weight0: [Float]
        var weight1: [Float]
        var identity: Bool

        init(source: Int, destination: Int) {
            identity = source == destination
            index0 = [Int](repeating: 0, count: destination)
            index1 = [Int](repeating: 0, count: destination)
            weight0 = [Float](repeating: 1, count: destination)
            weight1 = [Float](repeating: 0, count: destination)
            let scale = 1.0 / (Double(destination) / Double(source))
            for d in 0..<destination {
                var f = Float((Double(d) + 0.5) * scale - 0.5)
                var i = Int(f.rounded(.down))
                f -= Float(i)
                if i < 0 { i = 0; f = 0 }
                if i >= source - 1 { i = source - 1; f = 0 }
                index0[d] = i
                index1[d] = min(i + 1, source - 1)
                weight0[d] = 1 - f
                weight1[d] = f
            }
        }
    }

    @inline(__always)
    private static func interpolateRow(
        _ row: UnsafePointer<Float>, _ axis: AxisTable, into out: UnsafeMutablePointer<Float>, width: Int
    ) {
        if axis.identity {
            out.update(from: row, count: width)
            return
        }
        axis.index0.withUnsafeBufferPointer { i0 in
            axis.index1.withUnsafeBufferPointer { i1 in
                axis.weight0.withUnsafeBufferPointer { w0 in
                    axis.weight1.withUnsafeBufferPointer { w1 in
                        for x in 0..<width {
                            out[x] = row[i0[x]] * w0[x] + row[i1[x]] * w1[x]
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func blendRows(
        _ row0: UnsafePointer<Float>, _ row1: UnsafePointer<Float>, _ b0: Float, _ b1: Float,
        into out: UnsafeMutablePointer<Float>, count: Int
    ) {
        if b1 == 0 {
            // row0 · 1 + row1 · 0 == row0 for finite values.
            out.update(from: row0, count: count)
            return
        }
        var x = 0
        let vb0 = SIMD8<Float>(repeating: b0)
        let vb1 = SIMD8<Float>(repeating: b1)
        while x + 8 <= count {
            let a = UnsafeRawPointer(row0 + x).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(row1 + x).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(out + x).storeBytes(of: a * vb0 + b * vb1, as: SIMD8<Float>.self)
            x += 8
        }
        while x < count {
            out[x] = row0[x] * b0 + row1[x] * b1
            x += 1
        }
    }

    /// OpenCV switches INTER_LINEAR to its INTER_AREA fast path for an exact 2× downscale on both axes.
    private static func isAreaFastHalf(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) -> Bool {
        let scaleX = 1.0 / (Double(width) / Double(sourceWidth))
        let scaleY = 1.0 / (Double(height) / Double(sourceHeight))
        return abs(scaleX - 2) < Double.ulpOfOne && abs(scaleY - 2) < Double.ulpOfOne
            && sourceWidth == 2 * width && sourceHeight == 2 * height
    }

    /// The 2 × 2 mean: `((a + b) + (c + d)) · 0.25` in OpenCV's 4-lane SIMD kernel, `(((a + b) + c) + d) · 0.25` in
    /// its scalar tail (the last `width % 4` columns).
    private static func halve(
        _ src: UnsafePointer<Float>, sourceWidth: Int, into out: UnsafeMutablePointer<Float>, width: Int, height: Int
    ) {
        let simdWidth = width - width % 4
        for dy in 0..<height {
            let s0 = src + (2 * dy) * sourceWidth
            let s1 = s0 + sourceWidth
            let d = out + dy * width
            for dx in 0..<simdWidth {
                d[dx] = ((s0[2 * dx] + s0[2 * dx + 1]) + (s1[2 * dx] + s1[2 * dx + 1])) * 0.25
            }
            for dx in simdWidth..<width {
                d[dx] = (((s0[2 * dx] + s0[2 * dx + 1]) + s1[2 * dx]) + s1[2 * dx + 1]) * 0.25
            }
        }
    }
}
