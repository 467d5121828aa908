import Foundation
import Testing
@testable import VisionModel

/// Grad-CAM at both layers against the fixtures' raw maps and α vectors.
@Suite struct GradCAMTests {
    static let cases: [(String, GradCAMLayer)] = ModelFixtures.imageNames.flatMap { image in
        GradCAMLayer.allCases.map { (image, $0) }
    }

    @Test(arguments: cases)
    func rawMapsAndAlphasMatch(image: String, layer: GradCAMLayer) throws {
        let network = try ModelFixtures.loadedModel()
        let inference = try ModelFixtures.inference(image)
        let entry = try ModelFixtures.entry(image)
        let cams = try ModelFixtures.array("\(image)/cam_\(layer.rawValue).npy")
        let alphas = try ModelFixtures.array("\(image)/alpha_\(layer.rawValue).npy")
        let side = layer.side
        #expect(cams.shape == [3, side, side])
        #expect(alphas.shape == [3, layer.channels])
        for (j, target) in entry.cam_classes.enumerated() {
            let map = try network.gradCAM(inference, classIndex: target.index, layer: layer)
            #expect(map.width == side && map.height == side)
            let reference = Array(cams.values[(j * side * side)..<((j + 1) * side * side)])
            let referenceMax = reference.max() ?? 0
            var worst: Float = 0
            for (a, b) in zip(map.values, reference) { worst = max(worst, abs(a - b)) }
            // Tolerance: max|cam − ref| ≤ 1e-4 · max(ref) per map.
            #expect(worst <= 1e-4 * referenceMax, "\(image) \(layer) class \(target.index): \(worst) vs max \(referenceMax)")
            let referenceAlpha = Array(alphas.values[(j * layer.channels)..<((j + 1) * layer.channels)])
            let alphaScale = referenceAlpha.map { abs($0) }.max() ?? 0
            var worstAlpha: Float = 0
            for (a, b) in zip(map.alpha, referenceAlpha) { worstAlpha = max(worstAlpha, abs(a - b)) }
            // Tolerance: max|α − ref| ≤ 1e-4 · max|ref| per vector.
            #expect(worstAlpha <= 1e-4 * alphaScale, "\(image) \(layer) class \(target.index): α off by \(worstAlpha)")
        }
    }

    @Test func headAlphaIsTheClassifierRowOver49() throws {
        let network = try ModelFixtures.loadedModel()
        let inference = try ModelFixtures.inference("chelsea")
        let map = try network.gradCAM(inference, classIndex: 281, layer: .head)
        let row = Array(network.classifierRow(281))
        #expect(map.alpha == row.map { $0 / 49 })
    }

    @Test func rejectsAClassOutOfRange() throws {
        let network = try ModelFixtures.loadedModel()
        let inference = try ModelFixtures.inference("chelsea")
        #expect(throws: VisionModelError.self) { try network.gradCAM(inference, classIndex: 1000, layer: .head) }
        #expect(throws: VisionModelError.self) { try network.gradCAM(inference, classIndex: -1, layer: .stage5) }
    }

    @Test func reluSixDerivativeUsesTheOpenInterval() {
        let activations: [Float] = [0, 0, 1e-30, 3, 6 - 1e-6, 6, 6]
        var gradient: [Float] = [1, 1, 1, 1, 1, 1, 1]
        activations.withUnsafeBufferPointer { a in
            gradient.withUnsafeMutableBufferPointer { g in
                Kernels.maskReLU6Gradient(g.baseAddress!, activation: a.baseAddress!, count: 7)
            }
        }
        #expect(gradient == [0, 0, 1, 1, 1, 0, 0])
    }
}

/// The `.npy` bytes of a map round-trip through the test reader.
@Suite struct GradCAMFileTests {
    @Test func npyDataRoundTrips() throws {
        let map = GradCAMMap(classIndex: 1, layer: .head, width: 3, height: 2, values: [0, 1.5, 2, 3, 4, 5.25], alpha: [])
        let bytes = map.encodeNPY()
        #expect((10 + Int(bytes[8]) + Int(bytes[9]) << 8) % 64 == 0)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradcam-\(UUID().uuidString).npy")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let array = try NPYArray(contentsOf: url)
        #expect(array.shape == [2, 3])
        #expect(array.values == map.values)
    }
}
