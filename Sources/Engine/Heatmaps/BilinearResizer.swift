/// Bilinear resize of `Float` maps, bit-identical to `cv2.resize(..., interpolation=INTER_LINEAR)` of OpenCV 5.0
/// (the pip wheels, whose x86 build routes float resizes through Intel IPP) — scoring.md §3 step 3.
///
/// Per axis: `s = (d + 0.5) · (src / dst) − 0.5` in `Double`, `i = ⌊s⌋`, `t = Float(s − i)`, neighbours
/// `clamp(i)` and `clamp(i + 1)` (so at the borders both neighbours are the edge sample and the value is that sample).
/// When both source sides are at least 2 (OpenCV's IPP path) every interpolation is `a + t·(b − a)` with `b − a`
/// rounded to `Float` and then one rounding, as IPP's fused multiply-add does (computed as `Float(a + t·(b − a))` in
/// `Double`, where the product is exact), first along x for the source rows, then along y between two such rows. A source with a side of 1 takes OpenCV's
/// own separable path: `t` computed as `Float(s) − ⌊s⌋`, x weights clamped at the borders, y weights not, and
/// `a·(1 − t) + b·t` in `Float`. Both agree with the §3 formula within a few `Float` ulps (far below 1e-6).
/// Equal sizes return the map unchanged.
///
/// Memory is `O(width)` besides the output; the vertical pass, where the time goes, runs over whole rows.
public enum BilinearResizer {
    /// `map` resized to `width × height`.
    public static func resize(_ map: FloatMap, width: Int, height: Int) -> FloatMap {
        if map.width == width, map.height == height { return map }
        guard width > 0, height > 0 else { return FloatMap(width: max(width, 0), height: max(height, 0), values: []) }
        let output = [Float](unsafeUninitializedCapacity: width * height) { buffer, initialized in
            resize(map, into: buffer.baseAddress!, width: width, height: height)
            initialized = width * height
        }
        return FloatMap(width: width, height: height, values: output)
    }

    /// Resizes `map` into `output` (`width * height` floats, row-major).
    /// An empty source gives zeros.
    public static func resize(_ map: FloatMap, into output: UnsafeMutablePointer<Float>, width: Int, height: Int) {
        guard width > 0, height > 0 else { return }
        guard map.width > 0, map.height > 0 else {
            output.update(repeating: 0, count: width * height)
            return
        }
        map.values.withUnsafeBufferPointer { source in
            let src = source.baseAddress!
            if map.width == width, map.height == height {
                output.update(from: src, count: width * height)
            } else if map.width >= 2, map.height >= 2 {
                resizeLerp(src, sourceWidth: map.width, sourceHeight: map.height, into: output, width: width, height: height)
            } else {
                resizeSeparable(src, sourceWidth: map.width, sourceHeight: map.height, into: output, width: width, height: height)
            }
        }
    }

    // MARK: IPP path (both source sides ≥ 2)

    /// Source indices and `Float` fractions of one axis.
    struct LerpAxis {
        var index0: [Int]
        var index1: [Int]
        var fraction: [Float]

        init(source: Int, destination: Int) {
            let scale = Double(source) / Double(destination)
            var lows = [Int](repeating: 0, count: destination)
            var highs = [Int](repeating: 0, count: destination)
            var fractions = [Float](repeating: 0, count: destination)
            lows.withUnsafeMutableBufferPointer { i0 in
                highs.withUnsafeMutableBufferPointer { i1 in
                    fractions.withUnsafeMutableBufferPointer { t in
                        for d in 0..<destination {
                            let s = (Double(d) + 0.5) * scale - 0.5  // ≥ −0.5
                            var i = Int(s)
                            if Double(i) > s { i -= 1 }
                            t[d] = Float(s - Double(i))
                            i0[d] = min(max(i, 0), source - 1)
                            i1[d] = min(max(i + 1, 0), source - 1)
                        }
                    }
                }
            }
            index0 = lows
            index1 = highs
            fraction = fractions
        }
    }

    /// Output columns `start..<end` that interpolate between the same two source columns.
    private struct ColumnRun {
        var start: Int
        var end: Int
        var index0: Int
        var index1: Int
    }

    private static func resizeLerp(
        _ src: UnsafePointer<Float>, sourceWidth: Int, sourceHeight: Int,
        into output: UnsafeMutablePointer<Float>, width: Int, height: Int
    ) {
        let xAxis = LerpAxis(source: sourceWidth, destination: width)
        let yAxis = LerpAxis(source: sourceHeight, destination: height)
        let xIdentity = sourceWidth == width
        // Horizontally resized rows y0 and y1, then Double(row0) and Double(row1 − row0) for the current pair.
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: 2 * width)
        let base = UnsafeMutablePointer<Double>.allocate(capacity: width + 4)
        let slope = UnsafeMutablePointer<Double>.allocate(capacity: width + 4)
        let fractions = UnsafeMutablePointer<Double>.allocate(capacity: width)
        defer {
            rows.deallocate()
            base.deallocate()
            slope.deallocate()
            fractions.deallocate()
        }
        for x in 0..<width { fractions[x] = Double(xAxis.fraction[x]) }
        // Runs of columns with the same source pair (used when they are long enough to pay off).
        var runs: [ColumnRun] = []
        if !xIdentity, width >= 8 * sourceWidth {
            runs.reserveCapacity(sourceWidth + 1)
            var start = 0
            for x in 1...width where x == width || xAxis.index0[x] != xAxis.index0[start] || xAxis.index1[x] != xAxis.index1[start] {
                runs.append(ColumnRun(start: start, end: x, index0: xAxis.index0[start], index1: xAxis.index1[start]))
                start = x
            }
        }
        let row0 = rows
        let row1 = rows + width
        var pair = (-1, -1)
        xAxis.index0.withUnsafeBufferPointer { i0 in
            xAxis.index1.withUnsafeBufferPointer { i1 in
                func interpolateRow(_ y: Int, into out: UnsafeMutablePointer<Float>) {
                    let row = src + y * sourceWidth
                    if xIdentity {
                        out.update(from: row, count: width)
                        return
                    }
                    if runs.isEmpty {
                        for x in 0..<width {
                            let a = row[i0[x]]
                            out[x] = Float(Double(a) + fractions[x] * Double(row[i1[x]] - a))
                        }
                        return
                    }
                    // Upscaling: columns come in runs that share one source pair; no gathers inside a run.
                    for run in runs {
                        let a = row[run.index0]
                        let d = Double(row[run.index1] - a)
                        let av = SIMD4<Double>(repeating: Double(a))
                        let dv = SIMD4<Double>(repeating: d)
                        var x = run.start
                        while x + 4 <= run.end {
                            let t = UnsafeRawPointer(fractions + x).loadUnaligned(as: SIMD4<Double>.self)
                            UnsafeMutableRawPointer(out + x).storeBytes(of: SIMD4<Float>(av + t * dv), as: SIMD4<Float>.self)
                            x += 4
                        }
                        while x < run.end {
                            out[x] = Float(Double(a) + fractions[x] * d)
                            x += 1
                        }
                    }
                }
                var dy = 0
                while dy < height {
                    let y0 = yAxis.index0[dy]
                    let y1 = yAxis.index1[dy]
                    let t = yAxis.fraction[dy]
                    let out = output + dy * width
                    dy += 1
                    if t == 0 || y0 == y1 {
                        // a + 0·(b − a) == a: the row itself.
                        if pair.0 == y0 {
                            out.update(from: row0, count: width)
                        } else if pair.1 == y0 {
                            out.update(from: row1, count: width)
                        } else {
                            interpolateRow(y0, into: out)
                        }
                        continue
                    }
                    if pair != (y0, y1) {
                        if pair.1 == y0 {
                            row0.update(from: row1, count: width)
                        } else if pair.0 != y0 {
                            interpolateRow(y0, into: row0)
                        }
                        interpolateRow(y1, into: row1)
                        for x in 0..<width {
                            base[x] = Double(row0[x])
                            slope[x] = Double(row1[x] - row0[x])
                        }
                        pair = (y0, y1)
                    }
                    // Upscaling: several output rows share this pair; do four at a time (one load, four stores).
                    if dy + 3 <= height, yAxis.index0[dy + 2] == y0, yAxis.index1[dy + 2] == y1,
                       yAxis.fraction[dy] != 0, yAxis.fraction[dy + 1] != 0, yAxis.fraction[dy + 2] != 0 {
                        lerpRows4(base, slope, Double(t), Double(yAxis.fraction[dy]), Double(yAxis.fraction[dy + 1]),
                                  Double(yAxis.fraction[dy + 2]), into: out, stride: width, count: width)
                        dy += 3
                    } else {
                        lerpRow(base, slope, Double(t), into: out, count: width)
                    }
                }
            }
        }
    }

    /// `out[x] = Float(base[x] + t · slope[x])` for one `t`: `t · slope` is exact in `Double`, so the only rounding
    /// besides the final one is that of the `Double` sum, which changes the `Float` result only when it lands exactly
    /// halfway between two floats (about one value in 10⁸). The loop vectorises.
    private static func lerpRow(
        _ base: UnsafePointer<Double>, _ slope: UnsafePointer<Double>, _ t: Double,
        into out: UnsafeMutablePointer<Float>, count: Int
    ) {
        let tv = SIMD4<Double>(repeating: t)
        var x = 0
        while x + 4 <= count {
            let a = UnsafeRawPointer(base + x).loadUnaligned(as: SIMD4<Double>.self)
            let d = UnsafeRawPointer(slope + x).loadUnaligned(as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(out + x).storeBytes(of: SIMD4<Float>(a + tv * d), as: SIMD4<Float>.self)
            x += 4
        }
        while x < count {
            out[x] = Float(base[x] + t * slope[x])
            x += 1
        }
    }

    /// `lerpRow` for four consecutive output rows of the same source pair: each pair of source values is loaded
    /// once for four rows, four lanes at a time.
    private static func lerpRows4(
        _ base: UnsafePointer<Double>, _ slope: UnsafePointer<Double>,
        _ t0: Double, _ t1: Double, _ t2: Double, _ t3: Double,
        into out: UnsafeMutablePointer<Float>, stride: Int, count: Int
    ) {
        let out1 = out + stride
        let out2 = out1 + stride
        let out3 = out2 + stride
        let v0 = SIMD4<Double>(repeating: t0)
        let v1 = SIMD4<Double>(repeating: t1)
        let v2 = SIMD4<Double>(repeating: t2)
        let v3 = SIMD4<Double>(repeating: t3)
        var x = 0
        while x + 4 <= count {
            let a = UnsafeRawPointer(base + x).loadUnaligned(as: SIMD4<Double>.self)
            let d = UnsafeRawPointer(slope + x).loadUnaligned(as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(out + x).storeBytes(of: SIMD4<Float>(a + v0 * d), as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(out1 + x).storeBytes(of: SIMD4<Float>(a + v1 * d), as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(out2 + x).storeBytes(of: SIMD4<Float>(a + v2 * d), as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(out3 + x).storeBytes(of: SIMD4<Float>(a + v3 * d), as: SIMD4<Float>.self)
            x += 4
        }
        while x < count {
            let a = base[x]
            let d = slope[x]
            out[x] = Float(a + t0 * d)
            out1[x] = Float(a + t1 * d)
            out2[x] = Float(a + t2 * d)
            out3[x] = Float(a + t3 * d)
            x += 1
        }
    }

    // MARK: OpenCV's own separable path (a source side of 1)

    private static func resizeSeparable(
        _ src: UnsafePointer<Float>, sourceWidth: Int, sourceHeight: Int,
        into output: UnsafeMutablePointer<Float>, width: Int, height: Int
    ) {
        let xAxis = SeparableAxis(source: sourceWidth, destination: width, clampWeights: true)
        let yAxis = SeparableAxis(source: sourceHeight, destination: height, clampWeights: false)
        var horizontal = [Float](repeating: 0, count: sourceHeight * width)
        for y in 0..<sourceHeight {
            let row = src + y * sourceWidth
            for x in 0..<width {
                horizontal[y * width + x] = row[xAxis.index0[x]] * xAxis.weight0[x] + row[xAxis.index1[x]] * xAxis.weight1[x]
            }
        }
        horizontal.withUnsafeBufferPointer { rows in
            for dy in 0..<height {
                let r0 = rows.baseAddress! + yAxis.index0[dy] * width
                let r1 = rows.baseAddress! + yAxis.index1[dy] * width
                let b0 = yAxis.weight0[dy]
                let b1 = yAxis.weight1[dy]
                let out = output + dy * width
                for x in 0..<width { out[x] = r0[x] * b0 + r1[x] * b1 }
            }
        }
    }

    /// OpenCV's generic table: `f = Float((d + 0.5) · (1 / (dst / src)) − 0.5)`, `i = ⌊f⌋`, `t = f − i`; x clamps
    /// `i` and `t` at the borders, y only clamps the row indices.
    struct SeparableAxis {
        var index0: [Int]
        var index1: [Int]
        var weight0: [Float]
        var weight1: [Float]

        init(source: Int, destination: Int, clampWeights: Bool) {
            index0 = [Int](repeating: 0, count: destination)
            index1 = [Int](repeating: 0, count: destination)
            weight0 = [Float](repeating: 1, count: destination)
            weight1 = [Float](repeating: 0, count: destination)
            let scale = 1.0 / (Double(destination) / Double(source))
            for d in 0..<destination {
                var f = Float((Double(d) + 0.5) * scale - 0.5)
                var i = Int(f.rounded(.down))
                f -= Float(i)
                if clampWeights {
                    if i < 0 { i = 0; f = 0 }
                    if i >= source - 1 { i = source - 1; f = 0 }
                }
                index0[d] = min(max(i, 0), source - 1)
                index1[d] = min(max(i + 1, 0), source - 1)
                weight0[d] = 1 - f
                weight1[d] = f
            }
        }
    }
}
