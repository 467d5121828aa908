import Imaging
import Testing

/// Area-average downscaling and bilinear enlarging on small known cases.
@Suite struct ResamplerTests {
    static func gray(_ width: Int, _ height: Int, _ values: [UInt8]) -> RGBImage {
        RGBImage(width: width, height: height, pixels: values.flatMap { [$0, $0, $0] })
    }

    static func values(_ image: RGBImage) -> [UInt8] {
        stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] }
    }

    @Test func integerFactorAveragesBlocks() {
        let image = Self.gray(4, 2, [0, 10, 20, 30, 40, 50, 60, 70])
        let small = ImageResampler.resize(image, width: 2, height: 1)
        // (0+10+40+50)/4 = 25, (20+30+60+70)/4 = 45
        #expect(small.width == 2 && small.height == 1)
        #expect(Self.values(small) == [25, 45])
    }

    @Test func fractionalCoverageIsWeighted() {
        // 3 → 2: pixel 0 covers [0, 1.5): (0·1 + 90·0.5) / 1.5 = 30; pixel 1: (90·0.5 + 180·1) / 1.5 = 150.
        let small = ImageResampler.resize(Self.gray(3, 1, [0, 90, 180]), width: 2, height: 1)
        #expect(Self.values(small) == [30, 150])
        // Same along y.
        let tall = ImageResampler.resize(Self.gray(1, 3, [0, 90, 180]), width: 1, height: 2)
        #expect(Self.values(tall) == [30, 150])
    }

    @Test func noPixelIsSkipped() {
        // A single bright column must show up, diluted, whatever the ratio.
        var values = [UInt8](repeating: 0, count: 10)
        values[7] = 250
        let small = ImageResampler.resize(Self.gray(10, 1, values), width: 3, height: 1)
        // 10 → 3: pixel 2 covers [6.667, 10): 250 · 1 / 3.333 = 75
        #expect(Self.values(small) == [0, 0, 75])
    }

    @Test func enlargingIsBilinear() {
        let big = ImageResampler.resize(Self.gray(2, 1, [0, 200]), width: 4, height: 1)
        #expect(Self.values(big) == [0, 50, 150, 200])
    }

    @Test func constantStaysConstant() {
        let image = RGBImage(width: 37, height: 23, pixels: [UInt8](repeating: 0, count: 37 * 23 * 3).enumerated().map {
            [UInt8(17), 128, 254][$0.offset % 3]
        })
        for (w, h) in [(10, 7), (80, 50), (5, 60), (1, 1)] {
            let out = ImageResampler.resize(image, width: w, height: h)
            #expect(out.width == w && out.height == h)
            #expect(out.pixels.enumerated().allSatisfy { $0.element == [UInt8(17), 128, 254][$0.offset % 3] })
        }
    }

    @Test func downscaleKeepsAspectAndNeverEnlarges() throws {
        let image = try ImageDecoder.decode(Fixtures.bytes("ok/jpeg_progressive.jpg"))  // 640x427
        let small = ImageResampler.downscale(image, maxSide: 320)
        #expect(small.width == 320 && small.height == 214)
        let same = ImageResampler.downscale(image, maxSide: 640)
        #expect(same == image)
        let larger = ImageResampler.downscale(image, maxSide: 5000)
        #expect(larger == image)
        let tall = ImageResampler.downscale(Self.gray(2, 8, [UInt8](repeating: 9, count: 16)), maxSide: 4)
        #expect(tall.width == 1 && tall.height == 4)
        let tiny = ImageResampler.downscale(image, maxSide: 0)
        #expect(tiny.width == 1 && tiny.height == 1)
    }

    @Test func halvingMatchesTheMeanOfEachBlock() throws {
        let image = try ImageDecoder.decode(Fixtures.bytes("ok/png_rgb.png"))  // 240x160
        let half = ImageResampler.downscale(image, maxSide: 120)
        #expect(half.width == 120 && half.height == 80)
        for (x, y) in [(0, 0), (33, 21), (119, 79), (60, 40)] {
            for c in 0..<3 {
                var sum = 0
                for dy in 0..<2 {
                    for dx in 0..<2 { sum += Int(image.pixels[((2 * y + dy) * 240 + 2 * x + dx) * 3 + c]) }
                }
                let expected = Int((Double(sum) / 4).rounded(.toNearestOrAwayFromZero))
                let got = Int(half.pixels[(y * 120 + x) * 3 + c])
                #expect(abs(got - expected) <= 0, "(\(x),\(y)) c\(c): \(got) vs \(expected)")
            }
        }
    }
}
