/// One geometric shape of a region, in image pixel coordinates (scoring.md §1–§2).
///
/// Values are validated when parsed (`RegionSet.parse`): finite coordinates, positive sizes and radii, at least three
/// polygon points, RLE counts that are non-negative and sum to `height × width`.
public enum Shape: Sendable, Equatable {
    /// Pixels whose centre satisfies `x ≤ cx < x + width` and `y ≤ cy < y + height`.
    case rect(x: Double, y: Double, width: Double, height: Double)
    /// An implicitly closed polygon, filled by the non-zero winding rule.
    case polygon(points: [(Double, Double)])
    /// An ellipse turned by `angle` degrees clockwise on screen.
    case ellipse(cx: Double, cy: Double, rx: Double, ry: Double, angle: Double)
    /// A COCO run-length mask: `size` is `[height, width]`; `counts` are the decoded run lengths in column-major
    /// order, first run = zeros (from the uncompressed list or pycocotools' compressed string).
    case mask(height: Int, width: Int, counts: [Int])

    /// The shape's `type` in the JSON form.
    public var typeName: String {
        switch self {
        case .rect: "rect"
        case .polygon: "polygon"
        case .ellipse: "ellipse"
        case .mask: "mask"
        }
    }

    public static func == (lhs: Shape, rhs: Shape) -> Bool {
        switch (lhs, rhs) {
        case let (.rect(ax, ay, aw, ah), .rect(bx, by, bw, bh)):
            return ax == bx && ay == by && aw == bw && ah == bh
        case let (.polygon(a), .polygon(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.ellipse(acx, acy, arx, ary, aa), .ellipse(bcx, bcy, brx, bry, ba)):
            return acx == bcx && acy == bcy && arx == brx && ary == bry && aa == ba
        case let (.mask(ah, aw, ac), .mask(bh, bw, bc)):
            return ah == bh && aw == bw && ac == bc
        default:
            return false
        }
    }

    /// The JSON form (`{"type": …, …}`); masks are written with uncompressed counts.
    public func toJSON() -> JSONValue {
        switch self {
        case let .rect(x, y, width, height):
            return .object([("type", .string("rect")), ("x", .number(x)), ("y", .number(y)),
                            ("width", .number(width)), ("height", .number(height))])
        case let .polygon(points):
            return .object([("type", .string("polygon")),
                            ("points", .array(points.map { .array([.number($0.0), .number($0.1)]) }))])
        case let .ellipse(cx, cy, rx, ry, angle):
            return .object([("type", .string("ellipse")), ("cx", .number(cx)), ("cy", .number(cy)),
                            ("rx", .number(rx)), ("ry", .number(ry)), ("angle", .number(angle))])
        case let .mask(height, width, counts):
            return .object([("type", .string("mask")),
                            ("size", .array([.number(Double(height)), .number(Double(width))])),
                            ("counts", .array(counts.map { .number(Double($0)) }))])
        }
    }
}
