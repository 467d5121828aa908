import Engine
import Foundation
import Storage

/// Writes a project's current regions as a COCO instances file: every image (`id` 1…n, `file_name`, display
/// `width`/`height`), one category per label, one annotation per shape. Rectangles and polygons become polygon
/// segmentations, ellipses 64-point polygons, masks uncompressed RLE (`iscrowd` 1). Each annotation carries
/// `attributes` (`kind`, `aliases`, thresholds) that Sightline's COCO import reads back.
enum COCOExporter {
    static func exportProject(images: [Image], regions: [Image.ID: RegionSet], projectName: String) -> JSONValue {
        var labelIDs: [String: Int] = [:]
        var categories: [JSONValue] = []
        let labels = Set(regions.values.flatMap { $0.regions.map(\.label) }).sorted()
        for label in labels {
            labelIDs[label] = labelIDs.count + 1
            categories.append(.object([("id", number(labelIDs.count)), ("name", .string(label)), ("supercategory", .string(""))]))
        }
        var imageItems: [JSONValue] = []
        var annotations: [JSONValue] = []
        for (index, image) in images.enumerated() {
            let imageID = index + 1
            imageItems.append(.object([
                ("id", number(imageID)), ("file_name", .string(image.fileName)),
                ("width", number(image.width)), ("height", number(image.height)),
            ]))
            for region in regions[image.id]?.regions ?? [] {
                var attributes: [(String, JSONValue)] = [
                    ("kind", .string(region.kind.rawValue)), ("aliases", .array(region.aliases.map { .string($0) })),
                ]
                if let value = region.minEnergy { attributes.append(("min_energy", .number(value))) }
                if let value = region.minCoverage { attributes.append(("min_coverage", .number(value))) }
                if let value = region.maxEnergy { attributes.append(("max_energy", .number(value))) }
                for shape in region.shapes {
                    let (segmentation, bbox, area, crowd) = describe(shape)
                    annotations.append(.object([
                        ("id", number(annotations.count + 1)), ("image_id", number(imageID)),
                        ("category_id", number(labelIDs[region.label] ?? 0)), ("segmentation", segmentation),
                        ("area", .number(area)), ("bbox", .array(bbox.map { .number($0) })),
                        ("iscrowd", number(crowd ? 1 : 0)), ("attributes", .object(attributes)),
                    ]))
                }
            }
        }
        return .object([
            ("info", .object([("description", .string("Sightline regions of \(projectName)")), ("version", .string("1.0"))])),
            ("images", .array(imageItems)), ("categories", .array(categories)), ("annotations", .array(annotations)),
        ])
    }

    static func number(_ value: Int) -> JSONValue { .number(Double(value)) }

    /// Segmentation, `[x, y, width, height]`, area and crowd flag of one shape.
    static func describe(_ shape: Shape) -> (JSONValue, [Double], Double, Bool) {
        switch shape {
        case let .rect(x, y, width, height):
            return (polygonSegmentation([(x, y), (x + width, y), (x + width, y + height), (x, y + height)]),
                    [x, y, width, height], width * height, false)
        case let .polygon(points):
            return (polygonSegmentation(points), bounds(points), polygonArea(points), false)
        case let .ellipse(cx, cy, rx, ry, angle):
            let radians = angle * Double.pi / 180
            let points = (0..<64).map { step -> (Double, Double) in
                let t = Double(step) * 2 * Double.pi / 64
                let (u, v) = (rx * cos(t), ry * sin(t))
                return (cx + u * cos(radians) - v * sin(radians), cy + u * sin(radians) + v * cos(radians))
            }
            return (polygonSegmentation(points), bounds(points), Double.pi * rx * ry, false)
        case let .mask(height, width, counts):
            var (minX, minY, maxX, maxY) = (Int.max, Int.max, -1, -1)
            var position = 0
            var ones = 0
            for (index, run) in counts.enumerated() {
                if index % 2 == 1, run > 0, height > 0 {
                    ones += run
                    let first = position, last = position + run - 1
                    minX = min(minX, first / height)
                    maxX = max(maxX, last / height)
                    // A run spanning a column boundary covers every row in between.
                    if first / height != last / height {
                        minY = 0
                        maxY = height - 1
                    } else {
                        minY = min(minY, first % height)
                        maxY = max(maxY, last % height)
                    }
                }
                position += run
            }
            let box: [Double] =
                maxX < 0 ? [0, 0, 0, 0]
                : [Double(minX), Double(minY), Double(maxX - minX + 1), Double(maxY - minY + 1)]
            let segmentation: JSONValue = .object([
                ("size", .array([number(height), number(width)])), ("counts", .array(counts.map { number($0) })),
            ])
            return (segmentation, box, Double(ones), true)
        }
    }

    static func polygonSegmentation(_ points: [(Double, Double)]) -> JSONValue {
        .array([.array(points.flatMap { [JSONValue.number($0.0), .number($0.1)] })])
    }

    static func bounds(_ points: [(Double, Double)]) -> [Double] {
        guard let first = points.first else { return [0, 0, 0, 0] }
        var (minX, minY, maxX, maxY) = (first.0, first.1, first.0, first.1)
        for (x, y) in points {
            minX = min(minX, x)
            minY = min(minY, y)
            maxX = max(maxX, x)
            maxY = max(maxY, y)
        }
        return [minX, minY, maxX - minX, maxY - minY]
    }

    static func polygonArea(_ points: [(Double, Double)]) -> Double {
        var sum = 0.0
        for index in points.indices {
            let (x0, y0) = points[index]
            let (x1, y1) = points[(index + 1) % points.count]
            sum += x0 * y1 - x1 * y0
        }
        return abs(sum) / 2
    }
}
