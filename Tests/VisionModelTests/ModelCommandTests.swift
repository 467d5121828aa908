import Foundation
import Testing
import TestSupport
@testable import VisionModel

/// `sightline classify` and `sightline gradcam` end to end (the executable built next to the test bundle,
/// or `$SIGHTLINE_BIN`), from the fixture PNGs.
@Suite struct ModelCommandTests {
    /// Runs the CLI with the weights in the environment; returns (status, stdout, stderr).
    static func run(_ arguments: [String]) async throws -> (Int32, String, String) {
        let result = try await SightlineExecutable.run(
            arguments, environment: [EfficientNetLite0.weightsEnvironmentVariable: ModelFixtures.weightsPath])
        return (result.status, result.out, result.err)
    }

    static func image(_ name: String) -> String {
        ModelFixtures.directory.appendingPathComponent("\(name)/\(name).png").path
    }

    @Test func classifyPrintsPyTorchsTopFiveAsJSON() async throws {
        _ = try ModelFixtures.loadedModel()
        let entry = try ModelFixtures.entry("astronaut")
        let (status, out, err) = try await Self.run(["classify", "--image", Self.image("astronaut"), "--top", "5", "--format", "json"])
        #expect(status == 0, "\(err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let top = try #require(json["top"] as? [[String: Any]])
        #expect(top.compactMap { $0["index"] as? Int } == entry.top5.map(\.index))
        #expect(top.compactMap { $0["name"] as? String } == entry.top5.map(\.name))
        for (item, reference) in zip(top, entry.top5) {
            let logit = try #require(item["logit"] as? Double)
            let probability = try #require(item["probability"] as? Double)
            #expect(abs(logit - reference.logit) <= 1e-3)
            #expect(abs(probability - reference.prob) <= 1e-3)
        }
    }

    @Test func gradcamWritesTheRawMapAsNpy() async throws {
        _ = try ModelFixtures.loadedModel()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cam-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: out) }
        let (status, _, err) = try await Self.run([
            "gradcam", "--image", Self.image("chelsea"), "--class", "tabbies", "--layer", "stage5", "--out", out.path,
        ])
        #expect(status == 0, "\(err)")
        let map = try NPYArray(contentsOf: out)
        #expect(map.shape == [14, 14])
        // Class 281 (tabby) is the second of chelsea's cam_classes.
        let reference = Array(try ModelFixtures.array("chelsea/cam_stage5.npy").values[196..<392])
        let peak = reference.max() ?? 0
        var worst: Float = 0
        for (a, b) in zip(map.values, reference) { worst = max(worst, abs(a - b)) }
        #expect(worst <= 1e-4 * peak)
    }

    @Test func badInputExitsWithStatusTwo() async throws {
        _ = try ModelFixtures.loadedModel()
        let unknownClass = try await Self.run(["gradcam", "--image", Self.image("coffee"), "--class", "no such class"])
        #expect(unknownClass.0 == 2)
        #expect(unknownClass.2.contains("no such class"))
        let notAnImage = try await Self.run(["classify", "--image", ModelFixtures.directory.appendingPathComponent("manifest.json").path])
        #expect(notAnImage.0 == 2)
        #expect(notAnImage.2.contains("manifest.json"))
        let badLayer = try await Self.run(["gradcam", "--image", Self.image("coffee"), "--class", "967", "--layer", "stage9"])
        #expect(badLayer.0 == 2)
        let badWeights = try await Self.run(["classify", "--image", Self.image("coffee"), "--weights", Self.image("coffee")])
        #expect(badWeights.0 == 2)
        #expect(badWeights.2.contains("not_a_checkpoint"))
    }
}
