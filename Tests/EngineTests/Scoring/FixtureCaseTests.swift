import Engine
import Foundation
import Testing

/// Every case of Tests/Fixtures/scoring and Tests/Fixtures/images, through the library API (the calls the web layer
/// makes: `RegionSet.parse`, `HeatmapReader`, `ImageDecoder`, `Scorer.diagnose`), compared with expected.jsonl.
@Suite("Fixture cases through the library API")
struct FixtureCaseTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var folder: String
        var id: String
        var input: JSONValue
        var expected: JSONValue
        var testDescription: String { "\(folder)/\(id)" }
    }

    static func cases(_ folder: String) -> [Case] {
        let dir = FixtureSupport.folder(folder)
        guard let inputs = try? FixtureSupport.readJSONLines(dir + "/cases.jsonl"),
              let expected = try? FixtureSupport.readJSONLines(dir + "/expected.jsonl"), inputs.count == expected.count
        else { return [] }
        return zip(inputs, expected).map { Case(folder: folder, id: $0["id"]?.stringValue ?? "?", input: $0, expected: $1) }
    }

    @Test("fixture files are present and complete")
    func fixtureCounts() {
        #expect(Self.cases("scoring").count == 63)
        #expect(Self.cases("images").count == 58)
    }

    @Test("scoring/ cases", arguments: cases("scoring"))
    func scoringCase(_ c: Case) {
        let output = Self.score(c.input, base: FixtureSupport.folder(c.folder))
        let problems = FixtureSupport.differences(expected: c.expected, actual: output)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("images/ cases", arguments: cases("images"))
    func imagesCase(_ c: Case) {
        let output = Self.score(c.input, base: FixtureSupport.folder(c.folder))
        let problems = FixtureSupport.differences(expected: c.expected, actual: output)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// One case line through the public API; an `EngineError` becomes `{"id", "error": {"code", "message"}}`.
    static func score(_ line: JSONValue, base: String) -> JSONValue {
        let id = line["id"] ?? .null
        do throws(EngineError) {
            let width: Int, height: Int
            if let path = line["image"]?.stringValue {
                let image = try ImageDecoder.decode(contentsOf: base + "/" + path)
                (width, height) = (image.width, image.height)
            } else {
                let size = line["size"]?.arrayValue ?? []
                width = Int(size.first?.numberValue ?? 0)
                height = Int(size.last?.numberValue ?? 0)
            }
            let regions = try RegionSet.parse(line["regions"] ?? .null)
            var heatmaps: [(label: String, map: FloatMap)] = []
            for (label, path) in line["heatmaps"]?.objectValue ?? [] {
                heatmaps.append((label, try HeatmapReader.read(contentsOf: base + "/" + (path.stringValue ?? ""))))
            }
            var options = ScoringOptions()
            if let t = line["hot_threshold"]?.numberValue { options.hotThreshold = t }
            if let t = line["pointing_tolerance"]?.numberValue { options.pointingTolerance = t }
            let input = ScoringInput(
                width: width, height: height, regions: regions, heatmaps: heatmaps,
                description: line["description"]?.stringValue)
            return try Scorer.diagnose(input, options: options).jsonValue(id: id)
        } catch {
            return .object([("id", id), ("error", .object([
                ("code", .string(error.code.rawValue)), ("message", .string(error.message)),
            ]))])
        }
    }
}
