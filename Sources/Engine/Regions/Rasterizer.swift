#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns shapes into a pixel mask by the centre rule of scoring.md §2 (pixel `(x, y)` is inside when its centre
/// `(x + 0.5, y + 0.5)` is), clipping to the image. Every shape is filled row by row (spans), so the cost is the
/// number of rows plus the number of pixels inside, not the image area times the shape complexity.
public enum Rasterizer {
    /// The union mask of `shapes` on a `width × height` image. An RLE mask whose size is not `[height, width]` is
    /// `invalid_region`; an empty result is returned as is (the caller decides about `empty_region`).
    public static func mask(for shapes: [Shape], width: Int, height: Int) throws(EngineError) -> Mask {
        try checkSizes(shapes, width: width, height: height)
        guard width > 0, height > 0 else { return Mask(width: max(width, 0), height: max(height, 0)) }
        var bits = [UInt8](repeating: 0, count: width * height)
        bits.withUnsafeMutableBufferPointer { buffer in
            let canvas = Canvas(bits: buffer.baseAddress!, width: width, height: height)
            for shape in shapes { canvas.fill(shape) }
        }
        return Mask(width: width, height: height, bits: bits)
    }

    /// Rasterises every label group of `set` (regions sharing a label are one mask) and throws `empty_region`
    /// naming the first group whose mask is empty, or `invalid_region` when an RLE mask doesn't fit the image.
    public static func validate(_ set: RegionSet, width: Int, height: Int) throws(EngineError) {
        for region in set.regions { try checkSizes(region.shapes, width: width, height: height) }
        guard width > 0, height > 0 else {
            throw EngineError(.emptyRegion, "region '\(set.regions.first?.label ?? "")' is empty")
        }
        for group in set.groups where !intersectsImage(group.shapes, width: width, height: height) {
            throw EngineError(.emptyRegion, "region '\(group.label)' is empty")
        }
    }

    /// The masks of every label group of `set`, in group order (same checks as `validate`).
    public static func groupMasks(_ set: RegionSet, width: Int, height: Int) throws(EngineError) -> [Mask] {
        try validate(set, width: width, height: height)
        var masks: [Mask] = []
        for group in set.groups { masks.append(try mask(for: group.shapes, width: width, height: height)) }
        return masks
    }

    private static func checkSizes(_ shapes: [Shape], width: Int, height: Int) throws(EngineError) {
        for case let .mask(maskHeight, maskWidth, _) in shapes where maskHeight != height || maskWidth != width {
            throw EngineError(.invalidRegion,
                              "mask size [\(maskHeight), \(maskWidth)] != image size [\(height), \(width)]")
        }
    }

    /// Whether any pixel of the union is inside, without allocating a mask: stops at the first inside span.
    private static func intersectsImage(_ shapes: [Shape], width: Int, height: Int) -> Bool {
        for shape in shapes {
            if case let .mask(_, _, counts) = shape {
                // Odd runs are ones; sizes were checked, so any non-empty one is inside the image.
                if counts.indices.contains(where: { $0 % 2 == 1 && counts[$0] > 0 }) { return true }
                continue
            }
            var probe = SpanProbe()
            Canvas.spans(of: shape, width: width, height: height) { _, _, _ in
                probe.hit = true
                return false
            }
            if probe.hit { return true }
        }
        return false
    }

    private struct SpanProbe { var hit = false }
}

/// A row-major byte canvas that shapes are filled into.
struct Canvas {
    let bits: UnsafeMutablePointer<UInt8>
    let width: Int
    let height: Int

    func fill(_ shape: Shape) {
        if case let .mask(_, _, counts) = shape {
            fillRLE(counts)
            return
        }
        Canvas.spans(of: shape, width: width, height: height) { y, x0, x1 in
            (bits + y * width + x0).update(repeating: 1, count: x1 - x0)
            return true
        }
    }

    /// Column-major runs, first run = zeros.
    private func fillRLE(_ counts: [Int]) {
        var position = 0
        let total = width * height
        for (index, run) in counts.enumerated() {
            let end = position + min(max(run, 0), total - position)
            if index % 2 == 1 {
                var p = position
                while p < end {
                    let x = p / height
                    let y = p % height
                    let segment = min(end - p, height - y)
                    var offset = y * width + x
                    for _ in 0..<segment {
                        bits[offset] = 1
                        offset += width
                    }
                    p += segment
                }
            }
            position = end
        }
    }

    /// Calls `body(y, x0, x1)` for every horizontal span `[x0, x1)` of inside pixels of `shape` (rect, polygon or
    /// ellipse; masks are handled by `fill`), clipped to the image; stops when `body` returns `false`.
    static func spans(of shape: Shape, width: Int, height: Int, _ body: (Int, Int, Int) -> Bool) {
        switch shape {
        case let .rect(x, y, w, h):
            let (x0, x1) = halfOpenRange(x, x + w, limit: width)
            let (y0, y1) = halfOpenRange(y, y + h, limit: height)
            guard x0 < x1 else { return }
            for row in y0..<max(y0, y1) where !body(row, x0, x1) { return }
        case let .polygon(points):
            PolygonScanner(points: points, width: width, height: height).scan(body)
        case let .ellipse(cx, cy, rx, ry, angle):
            EllipseScanner(cx: cx, cy: cy, rx: rx, ry: ry, angle: angle, width: width, height: height).scan(body)
        case .mask:
            return
        }
    }

    /// The pixels `p` in `[0, limit)` with `low ≤ p + 0.5 < high`, as `[first, end)`.
    static func halfOpenRange(_ low: Double, _ high: Double, limit: Int) -> (Int, Int) {
        let first = firstCentre(atOrAbove: low, limit: limit)
        let end = firstCentre(atOrAbove: high, limit: limit)
        return (first, max(first, end))
    }

    /// The smallest pixel index `p` in `[0, limit]` with `p + 0.5 ≥ value` (`limit` when none in the image).
    @inline(__always)
    static func firstCentre(atOrAbove value: Double, limit: Int) -> Int {
        if !(value > -0.5) { return 0 }  // also catches -inf
        if value > Double(limit) { return limit }
        var p = Int((value - 0.5).rounded(.up))
        // Correct the rounding of `value - 0.5` with the exact test.
        while p > 0, Double(p - 1) + 0.5 >= value { p -= 1 }
        while p < limit, Double(p) + 0.5 < value { p += 1 }
        return max(0, min(p, limit))
    }
}
