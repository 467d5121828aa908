/// Scanline fill of a polygon by the non-zero winding rule with scoring.md §2's crossing rule: on the row of centre
/// `cy`, an edge `(x0,y0)→(x1,y1)` with `min(y0,y1) ≤ cy < max(y0,y1)` crosses at
/// `xi = x0 + ((cy − y0) · (x1 − x0)) / (y1 − y0)` (float64, in this order) and counts (+1 upward in y, −1 downward)
/// for every pixel centre `cx ≥ xi`.
struct PolygonScanner {
    private struct Edge {
        var x0, y0, x1, y1: Double
        var direction: Int
        var firstRow: Int
        var endRow: Int
    }

    private var edges: [Edge] = []
    let width: Int
    let height: Int

    init(points: [(Double, Double)], width: Int, height: Int) {
        self.width = width
        self.height = height
        let count = points.count
        for i in 0..<count {
            let (x0, y0) = points[i]
            let (x1, y1) = points[(i + 1) % count]
            guard y0 != y1 else { continue }
            let (firstRow, endRow) = Canvas.halfOpenRange(min(y0, y1), max(y0, y1), limit: height)
            guard firstRow < endRow else { continue }
            edges.append(Edge(x0: x0, y0: y0, x1: x1, y1: y1, direction: y1 > y0 ? 1 : -1,
                              firstRow: firstRow, endRow: endRow))
        }
        edges.sort { $0.firstRow < $1.firstRow }
    }

    func scan(_ body: (Int, Int, Int) -> Bool) {
        guard !edges.isEmpty else { return }
        var active: [Int] = []
        var next = 0
        // (first pixel the crossing counts for, direction) per active edge on the current row.
        var crossings: [(start: Int, direction: Int)] = []
        let startRow = edges[0].firstRow
        for row in startRow..<height {
            while next < edges.count, edges[next].firstRow <= row {
                active.append(next)
                next += 1
            }
            active.removeAll { edges[$0].endRow <= row }
            if active.isEmpty {
                if next >= edges.count { return }
                continue
            }
            let cy = Double(row) + 0.5
            crossings.removeAll(keepingCapacity: true)
            for index in active {
                let edge = edges[index]
                let xi = edge.x0 + ((cy - edge.y0) * (edge.x1 - edge.x0)) / (edge.y1 - edge.y0)
                crossings.append((Canvas.firstCentre(atOrAbove: xi, limit: width), edge.direction))
            }
            crossings.sort { $0.start < $1.start }
            var winding = 0
            var spanStart = -1
            var k = 0
            while k < crossings.count {
                let position = crossings[k].start
                while k < crossings.count, crossings[k].start == position {
                    winding += crossings[k].direction
                    k += 1
                }
                if position >= width { break }
                if winding != 0, spanStart < 0 {
                    spanStart = position
                } else if winding == 0, spanStart >= 0 {
                    if position > spanStart, !body(row, spanStart, position) { return }
                    spanStart = -1
                }
            }
            if spanStart >= 0, winding != 0 || spanStart < width {
                // Winding stayed non-zero up to the right edge of the image (or up to the last crossing past it).
                if spanStart < width, !body(row, spanStart, width) { return }
            }
        }
    }
}
