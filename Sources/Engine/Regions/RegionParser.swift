/// Structure validation of region JSON (scoring.md §7 `invalid_region` rules).
enum RegionParser {
    private static func invalid(_ message: String) -> EngineError {
        EngineError(.invalidRegion, message)
    }

    static func parseSet(_ value: JSONValue) throws(EngineError) -> RegionSet {
        guard case .object = value else { throw invalid("regions: the top level must be an object {\"regions\": [...]}") }
        guard let list = value["regions"] else { throw invalid("regions: missing \"regions\" list") }
        guard case .array(let items) = list else { throw invalid("regions: \"regions\" must be a list") }
        guard !items.isEmpty else { throw invalid("regions: the \"regions\" list is empty") }
        var regions: [Region] = []
        var kinds: [String: RegionKind] = [:]
        for (index, item) in items.enumerated() {
            let region = try parseRegion(item, index: index)
            let key = RegionGroup.key(for: region.label)
            if let kind = kinds[key], kind != region.kind {
                throw invalid("region '\(region.label)': one label with two kinds (focus and avoid)")
            }
            kinds[key] = region.kind
            regions.append(region)
        }
        return RegionSet(regions: regions)
    }

    private static func parseRegion(_ value: JSONValue, index: Int) throws(EngineError) -> Region {
        guard case .object = value else { throw invalid("regions[\(index)] must be an object") }
        guard case .string(let label)? = value["label"] else {
            throw invalid("regions[\(index)]: \"label\" must be a string")
        }
        guard !RegionGroup.key(for: label).isEmpty else { throw invalid("regions[\(index)]: empty label") }
        let name = "region '\(label)'"
        var aliases: [String] = []
        switch value["aliases"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                guard case .string(let alias) = item, !RegionGroup.key(for: alias).isEmpty else {
                    throw invalid("\(name): every alias must be a non-empty string")
                }
                aliases.append(alias)
            }
        default:
            throw invalid("\(name): \"aliases\" must be a list of strings")
        }
        var kind = RegionKind.focus
        switch value["kind"] {
        case nil, .null?: break
        case .string(let text)?:
            guard let parsed = RegionKind(rawValue: text) else {
                throw invalid("\(name): kind must be \"focus\" or \"avoid\", not \"\(text)\"")
            }
            kind = parsed
        default:
            throw invalid("\(name): kind must be \"focus\" or \"avoid\"")
        }
        let minEnergy = try optionalNumber(value["min_energy"], "\(name): min_energy")
        let minCoverage = try optionalNumber(value["min_coverage"], "\(name): min_coverage")
        let maxEnergy = try optionalNumber(value["max_energy"], "\(name): max_energy")
        guard case .array(let shapeItems)? = value["shapes"] else {
            throw invalid("\(name): \"shapes\" must be a list")
        }
        // An empty list is structurally fine; its mask is empty, which `Rasterizer.validate` reports as empty_region.
        var shapes: [Shape] = []
        for (shapeIndex, item) in shapeItems.enumerated() {
            shapes.append(try parseShape(item, context: "\(name) shape \(shapeIndex)"))
        }
        return Region(label: label, aliases: aliases, kind: kind, minEnergy: minEnergy, minCoverage: minCoverage,
                      maxEnergy: maxEnergy, shapes: shapes)
    }

    private static func optionalNumber(_ value: JSONValue?, _ context: String) throws(EngineError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?:
            guard number.isFinite else { throw invalid("\(context) is not finite") }
            return number
        default: throw invalid("\(context) must be a number")
        }
    }

    private static func number(_ value: JSONValue?, _ context: String) throws(EngineError) -> Double {
        guard case .number(let number)? = value else { throw invalid("\(context) must be a number") }
        guard number.isFinite else { throw invalid("\(context) is not finite") }
        return number
    }

    /// A non-negative integer given as a JSON number.
    private static func count(_ value: JSONValue, _ context: String) throws(EngineError) -> Int {
        guard case .number(let number) = value else { throw invalid("\(context) must be an integer") }
        guard number.isFinite, number == number.rounded(), abs(number) < 9.0e15 else {
            throw invalid("\(context) must be an integer")
        }
        guard number >= 0 else { throw invalid("\(context) is negative") }
        return Int(number)
    }

    private static func parseShape(_ value: JSONValue, context: String) throws(EngineError) -> Shape {
        guard case .object = value else { throw invalid("\(context) must be an object") }
        guard case .string(let type)? = value["type"] else { throw invalid("\(context): missing shape \"type\"") }
        switch type {
        case "rect":
            let x = try number(value["x"], "\(context): rect x")
            let y = try number(value["y"], "\(context): rect y")
            let width = try number(value["width"], "\(context): rect width")
            let height = try number(value["height"], "\(context): rect height")
            guard width > 0, height > 0 else { throw invalid("\(context): rect has zero size") }
            guard (x + width).isFinite, (y + height).isFinite else { throw invalid("\(context): rect overflows") }
            return .rect(x: x, y: y, width: width, height: height)
        case "polygon":
            guard case .array(let items)? = value["points"] else {
                throw invalid("\(context): polygon \"points\" must be a list of [x, y]")
            }
            guard items.count >= 3 else { throw invalid("\(context): polygon needs at least 3 points") }
            var points: [(Double, Double)] = []
            points.reserveCapacity(items.count)
            for item in items {
                guard case .array(let pair) = item, pair.count == 2 else {
                    throw invalid("\(context): polygon points must be [x, y] pairs")
                }
                points.append((try number(pair[0], "\(context): polygon x"), try number(pair[1], "\(context): polygon y")))
            }
            return .polygon(points: points)
        case "ellipse":
            let cx = try number(value["cx"], "\(context): ellipse cx")
            let cy = try number(value["cy"], "\(context): ellipse cy")
            let rx = try number(value["rx"], "\(context): ellipse rx")
            let ry = try number(value["ry"], "\(context): ellipse ry")
            let angle = try optionalNumber(value["angle"], "\(context): ellipse angle") ?? 0
            guard rx > 0, ry > 0 else { throw invalid("\(context): ellipse has zero size") }
            return .ellipse(cx: cx, cy: cy, rx: rx, ry: ry, angle: angle)
        case "mask":
            guard case .array(let size)? = value["size"], size.count == 2 else {
                throw invalid("\(context): mask \"size\" must be [height, width]")
            }
            let height = try count(size[0], "\(context): mask height")
            let width = try count(size[1], "\(context): mask width")
            guard height > 0, width > 0 else { throw invalid("\(context): mask has zero size") }
            let (area, overflow) = height.multipliedReportingOverflow(by: width)
            guard !overflow else { throw invalid("\(context): mask size overflows") }
            let counts: [Int]
            switch value["counts"] {
            case .array(let items)?:
                var decoded: [Int] = []
                decoded.reserveCapacity(items.count)
                for item in items { decoded.append(try count(item, "\(context): mask counts")) }
                counts = decoded
            case .string(let text)?:
                guard let decoded = COCORLE.decodeString(text) else {
                    throw invalid("\(context): mask counts string is not a valid COCO RLE")
                }
                guard decoded.allSatisfy({ $0 >= 0 }) else { throw invalid("\(context): mask counts are negative") }
                counts = decoded
            default:
                throw invalid("\(context): mask \"counts\" must be a list of integers or a COCO RLE string")
            }
            var total = 0
            for run in counts {
                let (sum, overflowed) = total.addingReportingOverflow(run)
                guard !overflowed else { throw invalid("\(context): mask counts overflow") }
                total = sum
            }
            guard total == area else { throw invalid("mask counts sum \(total) != H*W \(area)") }
            return .mask(height: height, width: width, counts: counts)
        default:
            throw invalid("\(context): unknown shape type \"\(type)\"")
        }
    }
}
