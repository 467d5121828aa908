import Foundation
import Imaging
import Testing
@testable import VisionModel

/// Preprocessing (decode → OpenCV-style bilinear resize → (v − 127)/128) against the fixtures' input.npy.
@Suite struct PreprocessingTests {
    @Test(arguments: ModelFixtures.imageNames)
    func decodedPNGPreprocessesToInputNpy(image: String) throws {
        let entry = try ModelFixtures.entry(image)
        let path = ModelFixtures.directory.appendingPathComponent(entry.stored_file).path
        let decoded = try ImageDecoder.decode(contentsOf: path)
        let input = ModelInput(image: decoded)
        let reference = try ModelFixtures.array("\(image)/input.npy")
        #expect(reference.shape == [1, 3, 224, 224])
        var worst: Float = 0
        for (a, b) in zip(input.values, reference.values) { worst = max(worst, abs(a - b)) }
        // Tolerance: 1e-5 per element (README).
        #expect(worst <= 1e-5, "\(image): max |Δ| = \(worst)")
        #expect(try ModelInput(contentsOfImage: path) == input)
    }

    @Test func identityWhenTheImageIsAlready224() {
        var pixels = [UInt8](repeating: 0, count: 224 * 224 * 3)
        for i in pixels.indices { pixels[i] = UInt8(i % 251) }
        let input = ModelInput(image: RGBImage(width: 224, height: 224, pixels: pixels))
        for y in [0, 17, 223] {
            for x in [0, 100, 223] {
                for ch in 0..<3 {
                    let v = Float(pixels[(y * 224 + x) * 3 + ch])
                    #expect(input.values[ch * 224 * 224 + y * 224 + x] == (v - 127) / 128)
                }
            }
        }
    }

    @Test func interpolationTapsFollowTheOpenCVRule() {
        // Upscale 2 → 4: s = (d + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamp, t.
        let taps = ModelInput.interpolationTaps(source: 2, destination: 4)
        #expect(taps.i0 == [0, 0, 0, 1])
        #expect(taps.i1 == [1, 1, 1, 1])
        #expect(taps.t == [0, 0.25, 0.75, 0])
    }

    @Test func rejectsAnUnreadableImage() {
        #expect(throws: EngineError.self) { try ModelInput(imageBytes: Array("not an image".utf8)) }
        #expect(throws: EngineError.self) { try ModelInput(contentsOfImage: "/nonexistent/image.png") }
    }
}
