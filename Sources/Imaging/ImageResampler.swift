/// Resizes RGB images for thumbnails and display copies.
///
/// Shrinking uses area averaging (a box filter with fractional pixel coverage: every source pixel contributes in
/// proportion to the area it shares with the destination pixel, so no source row or column is skipped);
/// enlarging uses bilinear interpolation with pixel-centre alignment (OpenCV `INTER_LINEAR` geometry). The two
/// axes are independent, so one can shrink while the other grows. Rows are filtered as they are needed
/// (memory ∝ destination width), all arithmetic in `Float`, results rounded to nearest.
public enum ImageResampler {
    /// Shrinks the image so its longer side is `maxSide` (aspect ratio kept, each side at least 1 px). Never
    /// enlarges: returns the input unchanged when both sides are already `≤ maxSide`. `maxSide < 1` counts as 1.
    public static func downscale(_ image: RGBImage, maxSide: Int) -> RGBImage {
        guard image.isConsistent else { return image }
        let target = max(1, maxSide)
        let longer = max(image.width, image.height)
        guard longer > target else { return image }
        let ratio = Double(target) / Double(longer)
        let width = image.width >= image.height ? target : max(1, Int((Double(image.width) * ratio).rounded()))
        let height = image.height >= image.width ? target : max(1, Int((Double(image.height) * ratio).rounded()))
        return resize(image, width: width, height: height)
    }

    /// Resizes to exactly `width × height` (each clamped to at least 1): area average along an axis that
    /// shrinks, bilinear along an axis that grows. Returns the input when the size is unchanged (or when its
    /// `pixels` don't match its size, which only a caller mutating the fields can cause).
    public static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        guard image.isConsistent else { return image }
        let dstW = max(1, width), dstH = max(1, height)
        if dstW == image.width && dstH == image.height { return image }
        let xTaps = AxisTaps(source: image.width, destination: dstW)
        let yTaps = AxisTaps(source: image.height, destination: dstH)
        return apply(image, width: dstW, height: dstH, xTaps: xTaps, yTaps: yTaps)
    }

    private static func apply(_ image: RGBImage, width dstW: Int, height dstH: Int, xTaps: AxisTaps, yTaps: AxisTaps)
        -> RGBImage
    {
        let srcW = image.width
        let rowFloats = dstW * 3
        let ringSize = max(1, yTaps.maxCount)
        var ring = [Float](repeating: 0, count: ringSize * rowFloats)
        var ringTag = [Int](repeating: -1, count: ringSize)
        var accumulator = [Float](repeating: 0, count: rowFloats)
        let pixels = [UInt8](unsafeUninitializedCapacity: dstW * dstH * 3) { out, initialized in
            image.pixels.withUnsafeBufferPointer { src in
                ring.withUnsafeMutableBufferPointer { ring in
                    accumulator.withUnsafeMutableBufferPointer { acc in
                        for dy in 0..<dstH {
                            for i in 0..<rowFloats { acc[i] = 0 }
                            let start = yTaps.starts[dy], count = yTaps.counts[dy], offset = yTaps.offsets[dy]
                            for t in 0..<count {
                                let sy = start + t
                                let slot = sy % ringSize
                                let row = UnsafeMutableBufferPointer(rebasing: ring[slot * rowFloats..<(slot + 1) * rowFloats])
                                if ringTag[slot] != sy {
                                    filterRow(src, rowStart: sy * srcW * 3, taps: xTaps, into: row)
                                    ringTag[slot] = sy
                                }
                                let weight = yTaps.weights[offset + t]
                                for i in 0..<rowFloats { acc[i] += weight * row[i] }
                            }
                            let base = dy * rowFloats
                            for i in 0..<rowFloats {
                                out[base + i] = UInt8(clamping: Int(acc[i] + 0.5))
                            }
                        }
                    }
                }
            }
            initialized = dstW * dstH * 3
        }
        return RGBImage(width: dstW, height: dstH, pixels: pixels)
    }

    /// One source row resampled horizontally into `dstW * 3` floats.
    @inline(__always)
    private static func filterRow(
        _ src: UnsafeBufferPointer<UInt8>, rowStart: Int, taps: AxisTaps, into row: UnsafeMutableBufferPointer<Float>
    ) {
        taps.weights.withUnsafeBufferPointer { weights in
            for dx in 0..<taps.starts.count {
                var r: Float = 0, g: Float = 0, b: Float = 0
                var s = rowStart + taps.starts[dx] * 3
                let offset = taps.offsets[dx]
                for t in 0..<taps.counts[dx] {
                    let w = weights[offset + t]
                    r += w * Float(src[s])
                    g += w * Float(src[s + 1])
                    b += w * Float(src[s + 2])
                    s += 3
                }
                row[dx * 3] = r
                row[dx * 3 + 1] = g
                row[dx * 3 + 2] = b
            }
        }
    }
}

/// Filter taps of one axis: destination index `i` reads source `starts[i] ..< starts[i] + counts[i]` with
/// `weights[offsets[i] + t]` (summing to 1).
struct AxisTaps {
    var starts: [Int] = []
    var counts: [Int] = []
    var offsets: [Int] = []
    var weights: [Float] = []
    var maxCount = 0

    init(source: Int, destination: Int) {
        starts.reserveCapacity(destination)
        counts.reserveCapacity(destination)
        offsets.reserveCapacity(destination)
        if destination < source {
            appendArea(source: source, destination: destination)
        } else if destination > source {
            appendBilinear(source: source, destination: destination)
        } else {
            for i in 0..<destination { append(start: i, weights: [1]) }
        }
    }

    private mutating func append(start: Int, weights taps: [Double]) {
        let total = taps.reduce(0, +)
        starts.append(start)
        counts.append(taps.count)
        offsets.append(weights.count)
        for w in taps { weights.append(Float(w / total)) }
        maxCount = max(maxCount, taps.count)
    }

    /// Box filter with fractional coverage: destination pixel `i` covers source `[i·s, (i+1)·s)`, `s = src/dst`.
    private mutating func appendArea(source: Int, destination: Int) {
        let scale = Double(source) / Double(destination)
        var taps: [Double] = []
        for i in 0..<destination {
            let lo = Double(i) * scale
            let hi = min(Double(source), Double(i + 1) * scale)
            let first = max(0, min(source - 1, Int(lo.rounded(.down))))
            let end = max(first + 1, min(source, Int(hi.rounded(.up))))
            taps.removeAll(keepingCapacity: true)
            var start = first
            for j in first..<end {
                let overlap = min(Double(j + 1), hi) - max(Double(j), lo)
                if overlap > 1e-9 {
                    if taps.isEmpty { start = j }
                    taps.append(overlap)
                } else if taps.isEmpty {
                    continue
                } else {
                    break
                }
            }
            if taps.isEmpty { taps.append(1) }
            append(start: start, weights: taps)
        }
    }

    /// Linear interpolation, pixel centres aligned: `s = (i + 0.5)·src/dst − 0.5`, clamped at the borders.
    private mutating func appendBilinear(source: Int, destination: Int) {
        let scale = Double(source) / Double(destination)
        for i in 0..<destination {
            let s = (Double(i) + 0.5) * scale - 0.5
            var i0 = Int(s.rounded(.down))
            var t = s - Double(i0)
            if i0 < 0 {
                i0 = 0
                t = 0
            }
            if i0 >= source - 1 {
                i0 = source - 1
                t = 0
            }
            if t == 0 {
                append(start: i0, weights: [1])
            } else {
                append(start: i0, weights: [1 - t, t])
            }
        }
    }
}
