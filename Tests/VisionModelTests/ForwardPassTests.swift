import Foundation
import Testing
@testable import VisionModel

/// The forward pass against the PyTorch fixtures: logits, top-5 and the intermediate checksums.
@Suite struct ForwardPassTests {
    @Test(arguments: ModelFixtures.imageNames)
    func logitsMatchPyTorch(image: String) throws {
        let inference = try ModelFixtures.inference(image)
        let reference = try ModelFixtures.array("\(image)/logits.npy")
        #expect(reference.values.count == 1000)
        var worst: Float = 0
        for (a, b) in zip(inference.logits, reference.values) { worst = max(worst, abs(a - b)) }
        // Tolerance: 1e-3 absolute (README "Tolerances").
        #expect(worst <= 1e-3, "max |Δlogit| = \(worst) for \(image)")
    }

    @Test(arguments: ModelFixtures.imageNames)
    func topFiveIndicesMatch(image: String) throws {
        let inference = try ModelFixtures.inference(image)
        let entry = try ModelFixtures.entry(image)
        let top = inference.topClasses(5)
        #expect(top.map(\.index) == entry.top5.map(\.index))
        #expect(top.map(\.name) == entry.top5.map(\.name))
        for (ours, theirs) in zip(top, entry.top5) {
            #expect(abs(ours.probability - theirs.prob) <= 1e-3)
        }
    }

    /// README's relative rule: |Δsum| ≤ 1e-3·abs_sum, |Δmean| ≤ 1e-3·abs_sum/numel, |Δmax|,|Δmin| ≤ 1e-3·max(|max|,|min|).
    static func expectChecksum(_ tensor: FloatTensor, _ reference: Manifest.Checksum, _ label: String) {
        #expect(tensor.shape == reference.shape, "\(label): shape \(tensor.shape) vs \(reference.shape)")
        var sum = 0.0
        var absSum = 0.0
        var maximum = -Double.infinity
        var minimum = Double.infinity
        for v in tensor.values {
            let d = Double(v)
            sum += d
            absSum += abs(d)
            maximum = max(maximum, d)
            minimum = min(minimum, d)
        }
        let numel = Double(tensor.values.count)
        let tolerance = 1e-3 * reference.abs_sum
        let extreme = 1e-3 * max(abs(reference.max), abs(reference.min))
        #expect(abs(sum - reference.sum) <= tolerance, "\(label): sum \(sum) vs \(reference.sum)")
        #expect(abs(absSum - reference.abs_sum) <= tolerance, "\(label): abs_sum \(absSum) vs \(reference.abs_sum)")
        #expect(abs(sum / numel - reference.mean) <= tolerance / numel, "\(label): mean")
        #expect(abs(maximum - reference.max) <= extreme, "\(label): max \(maximum) vs \(reference.max)")
        #expect(abs(minimum - reference.min) <= extreme, "\(label): min \(minimum) vs \(reference.min)")
    }

    @Test(arguments: ModelFixtures.imageNames)
    func checkpointChecksumsMatch(image: String) throws {
        let inference = try ModelFixtures.inference(image)
        let entry = try ModelFixtures.entry(image)
        let stem = try #require(inference.stem)
        #expect(inference.blockOutputs.count == 16)
        let checkpoints: [String: FloatTensor] = [
            "stem": stem,
            "stage1": inference.blockOutputs[0], "stage2": inference.blockOutputs[2], "stage3": inference.blockOutputs[4],
            "stage4": inference.blockOutputs[7], "stage5": inference.blockOutputs[10], "stage6": inference.blockOutputs[14],
            "stage7": inference.blockOutputs[15], "head": inference.head,
        ]
        #expect(Set(entry.checksums.keys) == Set(checkpoints.keys))
        for (name, reference) in entry.checksums {
            let tensor = try #require(checkpoints[name], "no checkpoint \(name)")
            Self.expectChecksum(tensor, reference, "\(image) \(name)")
        }
        #expect(inference.stage5 == inference.blockOutputs[10])
    }

    @Test(arguments: ModelFixtures.imageNames)
    func blockChecksumsMatch(image: String) throws {
        let inference = try ModelFixtures.inference(image)
        let entry = try ModelFixtures.entry(image)
        #expect(entry.block_checksums.count == 16)
        for i in 0..<16 {
            let reference = try #require(entry.block_checksums["block\(i)"])
            Self.expectChecksum(inference.blockOutputs[i], reference, "\(image) block\(i)")
        }
    }

    @Test func twoThreadsGiveTheSameLogits() throws {
        let network = try ModelFixtures.loadedModel()
        let input = try ModelInput(values: try ModelFixtures.array("astronaut/input.npy").values)
        let one = try ModelFixtures.inference("astronaut")
        let two = network.infer(input, threads: 2)
        var worst: Float = 0
        for (a, b) in zip(one.logits, two.logits) { worst = max(worst, abs(a - b)) }
        #expect(worst <= 1e-4)
        #expect(two.blockOutputs.isEmpty && two.stem == nil)
    }

    @Test func concurrentCallersGetTheSameResults() async throws {
        let network = try ModelFixtures.loadedModel()
        let reference = try ModelFixtures.inference("coffee")
        let input = try ModelInput(values: try ModelFixtures.array("coffee/input.npy").values)
        let maps = try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let inference = network.infer(input, threads: 1)
                    return try network.gradCAM(inference, classIndex: 967, layer: .stage5).values + inference.logits
                }
            }
            return try await group.reduce(into: [[Float]]()) { $0.append($1) }
        }
        let expected = try network.gradCAM(reference, classIndex: 967, layer: .stage5).values + reference.logits
        // Same numbers up to summation order (other tests may change the process-wide BLAS thread count meanwhile).
        let scale = expected.map { abs($0) }.max() ?? 1
        for map in maps {
            #expect(map.count == expected.count)
            var worst: Float = 0
            for (a, b) in zip(map, expected) { worst = max(worst, abs(a - b)) }
            #expect(worst <= 1e-5 * scale)
        }
    }

    @Test func rejectsAnInputOfTheWrongSize() {
        #expect(throws: VisionModelError.self) { try ModelInput(values: [Float](repeating: 0, count: 10)) }
        #expect(throws: VisionModelError.self) {
            try ModelInput(values: [Float](repeating: .nan, count: ModelInput.count))
        }
    }

    @Test func flopCountIsTheKnownFigure() throws {
        let network = try ModelFixtures.loadedModel()
        // EfficientNet-Lite0 is ~0.4 G multiply-accumulates at 224×224.
        #expect((350_000_000...450_000_000).contains(network.multiplyAccumulates))
    }
}
