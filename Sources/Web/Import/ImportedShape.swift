import Engine
import Foundation

/// One shape read from an annotation file, in the file's own units: pixels of the image size the file states
/// (COCO) or percent of the image (Label Studio). `toJSON` scales it to the stored image's pixels.
enum ImportedShape: Sendable {
    /// Top-left corner, size, and a clockwise rotation in degrees about the top-left corner (Label Studio).
    case rect(x: Double, y: Double, width: Double, height: Double, rotation: Double)
    case polygon(points: [(Double, Double)])
    /// Centre, radii (x radius scaled with the width, y radius with the height), clockwise angle in degrees.
    case ellipse(cx: Double, cy: Double, rx: Double, ry: Double, angle: Double)
    /// A COCO RLE object (`size`, `counts`), passed to the engine unchanged.
    case mask(size: JSONValue, counts: JSONValue)

    /// The `REGIONS.json` shape with x coordinates multiplied by `scaleX` and y by `scaleY`.
    func toJSON(scaleX: Double, scaleY: Double) -> JSONValue {
        switch self {
        case let .rect(x, y, width, height, rotation):
            let (px, py, pw, ph) = (x * scaleX, y * scaleY, width * scaleX, height * scaleY)
            if rotation == 0 || !rotation.isFinite {
                return Shape.rect(x: px, y: py, width: pw, height: ph).toJSON()
            }
            // Rotated about the top-left corner: a polygon of the four turned corners.
            let radians = rotation * Double.pi / 180
            let (c, s) = (cos(radians), sin(radians))
            let corners = [(0.0, 0.0), (pw, 0.0), (pw, ph), (0.0, ph)].map { dx, dy in
                (px + dx * c - dy * s, py + dx * s + dy * c)
            }
            return Shape.polygon(points: corners).toJSON()
        case let .polygon(points):
            return Shape.polygon(points: points.map { ($0.0 * scaleX, $0.1 * scaleY) }).toJSON()
        case let .ellipse(cx, cy, rx, ry, angle):
            return Shape.ellipse(cx: cx * scaleX, cy: cy * scaleY, rx: rx * scaleX, ry: ry * scaleY, angle: angle)
                .toJSON()
        case let .mask(size, counts):
            return .object([("type", .string("mask")), ("size", size), ("counts", counts)])
        }
    }
}
