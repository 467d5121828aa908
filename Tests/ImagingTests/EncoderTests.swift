import Imaging
import Testing

/// Encoder round trips through our own decoder.
@Suite struct EncoderTests {
    static func pattern(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var rng = SplitMix64(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: rng.next()) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static func smooth(width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                pixels[i] = UInt8(x * 255 / max(1, width - 1))
                pixels[i + 1] = UInt8(y * 255 / max(1, height - 1))
                pixels[i + 2] = UInt8((x + y) * 127 / max(1, width + height - 2))
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test(arguments: [(1, 1), (7, 3), (64, 48), (257, 5)])
    func pngRoundTripIsLossless(_ size: (Int, Int)) throws {
        let image = Self.pattern(width: size.0, height: size.1, seed: UInt64(size.0 * 1000 + size.1))
        let png = ImageEncoder.png(image)
        #expect(ImageFormat.detect(png) == .png)
        let decoded = try ImageDecoder.decode(png)
        #expect(decoded == image)
    }

    @Test func grayPNGRoundTripIsLossless() throws {
        let width = 33, height = 9
        let pixels = (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let png = ImageEncoder.pngGray(width: width, height: height, pixels: pixels)
        let map = try ImageDecoder.decodeGrayHeatmapPNG(png, maxValues: 1000)
        #expect(map.width == width && map.height == height && map.bitDepth == 8)
        #expect(map.values == pixels.map { Float($0) / 255 })
        let rgb = try ImageDecoder.decode(png)
        #expect(rgb.pixels == pixels.flatMap { [$0, $0, $0] })
    }

    @Test(arguments: [0, 1, 3, 9, -5, 42])
    func pngCompressionLevelsAreLossless(_ level: Int) throws {
        let image = Self.smooth(width: 90, height: 40)
        let png = ImageEncoder.png(image, compressionLevel: level)
        #expect(try ImageDecoder.decode(png) == image)
        let gray = [UInt8](repeating: 77, count: 90 * 40)
        let grayPNG = ImageEncoder.pngGray(width: 90, height: 40, pixels: gray, compressionLevel: level)
        #expect(try ImageDecoder.decodeGrayHeatmapPNG(grayPNG, maxValues: 4000).values.allSatisfy { $0 == Float(77) / 255 })
    }

    @Test func higherCompressionIsNotLarger() {
        let image = Self.smooth(width: 200, height: 120)
        let stored = ImageEncoder.png(image, compressionLevel: 0)
        let best = ImageEncoder.png(image, compressionLevel: 9)
        #expect(best.count < stored.count)
        #expect(stored.count > 200 * 120 * 3)  // level 0: stored deflate blocks
    }

    @Test func inconsistentInputGivesNoBytes() {
        #expect(ImageEncoder.pngGray(width: 4, height: 4, pixels: [1, 2, 3]).isEmpty)
        #expect(ImageEncoder.pngGray(width: 0, height: 4, pixels: []).isEmpty)
        #expect(ImageEncoder.pngGray(width: Int.max, height: 3, pixels: [1, 2, 3]).isEmpty)  // no overflow trap
        var mutated = Self.smooth(width: 4, height: 4)
        mutated.width = 5  // fields are public vars: an inconsistent image must not be read out of bounds
        #expect(ImageEncoder.png(mutated).isEmpty)
        #expect(ImageEncoder.jpeg(mutated).isEmpty)
        #expect(ImageResampler.downscale(mutated, maxSide: 2) == mutated)
        #expect(ImageResampler.resize(mutated, width: 2, height: 2) == mutated)
    }

    @Test func jpegRoundTripIsClose() throws {
        let image = Self.smooth(width: 160, height: 120)
        let jpeg = ImageEncoder.jpeg(image, quality: 95)
        #expect(ImageFormat.detect(jpeg) == .jpeg)
        let decoded = try ImageDecoder.decode(jpeg)
        #expect(decoded.width == 160 && decoded.height == 120)
        var total = 0, worst = 0
        for i in image.pixels.indices {
            let d = abs(Int(image.pixels[i]) - Int(decoded.pixels[i]))
            total += d
            worst = max(worst, d)
        }
        let mean = Double(total) / Double(image.pixels.count)
        #expect(mean < 1.5, "mean abs error \(mean)")
        #expect(worst <= 12, "max abs error \(worst)")
    }

    @Test func jpegQualityChangesSize() throws {
        let image = try ImageDecoder.decode(Fixtures.bytes("ok/png_rgb.png"))
        let low = ImageEncoder.jpeg(image, quality: 30)
        let high = ImageEncoder.jpeg(image, quality: 95)
        #expect(!low.isEmpty && low.count < high.count)
        #expect(try ImageDecoder.decode(low).width == image.width)
        #expect(!ImageEncoder.jpeg(image, quality: 500).isEmpty)  // clamped
    }
}

/// A small deterministic generator (SplitMix64) for reproducible test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
