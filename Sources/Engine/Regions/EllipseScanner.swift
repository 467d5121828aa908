#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Scanline fill of an ellipse: a centre `p` is inside when `(u/rx)² + (v/ry)² ≤ 1` with `a = angle·π/180`,
/// `u = dx·cos a + dy·sin a`, `v = −dx·sin a + dy·cos a`, `(dx, dy) = p − (cx, cy)` (fixtures decision 10: a positive
/// angle turns the `rx` axis clockwise on screen). Each row's span comes from the quadratic in `dx` and its two ends
/// are then settled with that exact test, so the mask equals the per-pixel definition.
struct EllipseScanner {
    let cx, cy, rx, ry: Double
    let cosA, sinA: Double
    let width: Int
    let height: Int

    init(cx: Double, cy: Double, rx: Double, ry: Double, angle: Double, width: Int, height: Int) {
        self.cx = cx
        self.cy = cy
        self.rx = rx
        self.ry = ry
        let a = angle * Double.pi / 180
        cosA = cos(a)
        sinA = sin(a)
        self.width = width
        self.height = height
    }

    /// The exact per-pixel test.
    @inline(__always)
    func contains(_ x: Int, _ y: Int) -> Bool {
        let dx = Double(x) + 0.5 - cx
        let dy = Double(y) + 0.5 - cy
        let u = dx * cosA + dy * sinA
        let v = -dx * sinA + dy * cosA
        let p = u / rx
        let q = v / ry
        return p * p + q * q <= 1
    }

    func scan(_ body: (Int, Int, Int) -> Bool) {
        // Vertical extent of the turned ellipse, with a pixel of margin for rounding.
        let halfHeight = ((rx * sinA) * (rx * sinA) + (ry * cosA) * (ry * cosA)).squareRoot()
        let (firstRow, endRow) = Canvas.halfOpenRange(cy - halfHeight - 1, cy + halfHeight + 1, limit: height)
        guard firstRow < endRow, width > 0 else { return }
        // Quadratic A·dx² + B·dx + C ≤ 0 for a fixed dy.
        let ia = 1 / (rx * rx)
        let ib = 1 / (ry * ry)
        let qa = cosA * cosA * ia + sinA * sinA * ib
        let qbFactor = 2 * cosA * sinA * (ia - ib)
        let qcFactor = sinA * sinA * ia + cosA * cosA * ib
        let usable = qa > 0 && qa.isFinite && qbFactor.isFinite && qcFactor.isFinite
        for row in firstRow..<endRow {
            var first = 0
            var last = width - 1
            if usable {
                let dy = Double(row) + 0.5 - cy
                let qb = qbFactor * dy
                let qc = qcFactor * dy * dy - 1
                let discriminant = qb * qb - 4 * qa * qc
                let vertex = -qb / (2 * qa)
                let root = discriminant > 0 ? discriminant.squareRoot() / (2 * qa) : 0
                guard vertex.isFinite, root.isFinite else {
                    if !scanRowExhaustively(row, body) { return }
                    continue
                }
                let leftEdge = cx + vertex - root
                let rightEdge = cx + vertex + root
                // First centre ≥ leftEdge, last centre ≤ rightEdge (then corrected by the exact test).
                first = Canvas.firstCentre(atOrAbove: leftEdge, limit: width)
                last = Canvas.firstCentre(atOrAbove: rightEdge, limit: width) - 1
                if first >= width || last < 0 || first > last {
                    // Nearly tangent row: test the pixels nearest to the vertex.
                    let centre = Canvas.firstCentre(atOrAbove: cx + vertex, limit: width)
                    first = max(0, centre - 1)
                    last = min(width - 1, centre)
                    while first <= last, !contains(first, row) { first += 1 }
                    while last >= first, !contains(last, row) { last -= 1 }
                    if first > last { continue }
                } else {
                    first = max(0, min(first, width - 1))
                    last = max(0, min(last, width - 1))
                }
                // Settle both ends with the exact test.
                while first > 0, contains(first - 1, row) { first -= 1 }
                while first <= last, !contains(first, row) { first += 1 }
                while last < width - 1, contains(last + 1, row) { last += 1 }
                while last >= first, !contains(last, row) { last -= 1 }
                guard first <= last else { continue }
                if !body(row, first, last + 1) { return }
            } else if !scanRowExhaustively(row, body) {
                return
            }
        }
    }

    /// Degenerate sizes (radii so large that the quadratic overflows): test every pixel of the row.
    private func scanRowExhaustively(_ row: Int, _ body: (Int, Int, Int) -> Bool) -> Bool {
        var x = 0
        while x < width {
            guard contains(x, row) else { x += 1; continue }
            let start = x
            while x < width, contains(x, row) { x += 1 }
            if !body(row, start, x) { return false }
        }
        return true
    }
}
