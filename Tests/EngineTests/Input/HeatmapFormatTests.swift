import Testing
@testable import Engine

/// `images/heatmap_formats` (every accepted encoding gives its float32 values exactly) and `images/bad_heatmaps`
/// (every bad file gives its error code).
@Suite("Heatmap formats")
struct HeatmapFormatTests {
    static let expected = InputFixtures.json("images/expected.json")
    static let formatFiles: [String] = expected["heatmap_formats"]?.arrayValue?.compactMap { $0["file"]?.stringValue } ?? []
    static let badFiles: [String] = expected["bad_heatmaps"]?.arrayValue?.compactMap { $0["file"]?.stringValue } ?? []

    @Test("fixture lists are present")
    func listsPresent() {
        #expect(Self.formatFiles.count == 16)
        #expect(Self.badFiles.count == 15)
    }

    @Test("accepted encodings read to their float32 values", arguments: formatFiles)
    func acceptedFormat(file: String) throws {
        let entry = try #require(Self.expected["heatmap_formats"]?.arrayValue?.first { $0["file"]?.stringValue == file })
        let values = InputFixtures.floats(entry["values_float32"])
        let shape = entry["shape"]?.arrayValue?.compactMap(\.numberValue).map(Int.init) ?? []
        let map = try HeatmapReader.read(contentsOf: InputFixtures.path("images/" + file))
        #expect([map.height, map.width] == shape)
        #expect(map.values == values, "\(file)")
        // Reading from bytes gives the same map.
        let fromBytes = try HeatmapReader.read(InputFixtures.bytes("images/" + file))
        #expect(fromBytes == map)
    }

    @Test("bad heatmaps give their error code", arguments: badFiles)
    func badHeatmap(file: String) throws {
        let entry = try #require(Self.expected["bad_heatmaps"]?.arrayValue?.first { $0["file"]?.stringValue == file })
        let code = try #require(entry["error"]?.stringValue)
        #expect(throws: EngineError.self) { try HeatmapReader.read(contentsOf: InputFixtures.path("images/" + file)) }
        do {
            _ = try HeatmapReader.read(contentsOf: InputFixtures.path("images/" + file))
        } catch {
            #expect(error.code.rawValue == code, "\(file): \(error)")
        }
        do {
            _ = try HeatmapReader.read(InputFixtures.bytes("images/" + file))
        } catch {
            #expect(error.code.rawValue == code, "\(file) (bytes): \(error)")
        }
    }

    @Test("a missing path or a directory is unsupported_heatmap")
    func unreadablePaths() {
        for path in [InputFixtures.path("images/no_such_file.npy"), InputFixtures.path("images")] {
            do {
                _ = try HeatmapReader.read(contentsOf: path)
                Issue.record("\(path) was read")
            } catch {
                #expect(error.code == .unsupportedHeatmap)
            }
        }
    }
}
