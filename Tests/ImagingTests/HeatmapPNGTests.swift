import Imaging
import Testing

/// `ImageDecoder.decodeGrayHeatmapPNG` against images/heatmap_formats and images/bad_heatmaps.
@Suite struct HeatmapPNGTests {
    static let maxValues = 16_000_000

    @Test(arguments: Fixtures.heatmapFormats.filter { $0.format == "png" })
    func grayPNGGivesTheExpectedValues(_ entry: Fixtures.HeatmapFormat) throws {
        let map = try ImageDecoder.decodeGrayHeatmapPNG(Fixtures.bytes(entry.file), maxValues: Self.maxValues)
        #expect(map.height == entry.values.count)
        #expect(map.width == entry.values.first?.count)
        #expect(map.bitDepth == (entry.file.contains("16") ? 16 : 8))
        let expected = entry.values.flatMap { $0 }.map { Float($0) }
        #expect(map.values.count == expected.count)
        for (got, want) in zip(map.values, expected) {
            #expect(got == want, "\(entry.file): \(got) vs \(want)")
        }
    }

    @Test func twoPNGFormatsArePresent() {
        #expect(Fixtures.heatmapFormats.filter { $0.format == "png" }.count == 2)
    }

    @Test func colourPNGIsUnsupported() {
        let bytes = Fixtures.bytes("bad_heatmaps/rgb.png")
        let code = Fixtures.code { () throws(EngineError) in
            try ImageDecoder.decodeGrayHeatmapPNG(bytes, maxValues: Self.maxValues)
        }
        #expect(code == .unsupportedHeatmap)
    }

    @Test func tooLargePNGIsRejectedFromTheHeader() {
        let bytes = Fixtures.bytes("bad_heatmaps/too_large.png")
        let code = Fixtures.code { () throws(EngineError) in
            try ImageDecoder.decodeGrayHeatmapPNG(bytes, maxValues: Self.maxValues)
        }
        #expect(code == .heatmapTooLarge)
    }

    @Test func otherImagesAreUnsupportedHeatmaps() {
        for file in ["ok/png_rgba.png", "ok/png_palette.png", "ok/png_rgb16.png", "ok/jpeg_grayscale.jpg",
                     "bad/bad_crc_idat.png", "bad/empty.jpg", "bad/image.gif", "bad/garbage_chunk.png"] {
            let bytes = Fixtures.bytes(file)
            let code = Fixtures.code { () throws(EngineError) in
                try ImageDecoder.decodeGrayHeatmapPNG(bytes, maxValues: Self.maxValues)
            }
            #expect(code == .unsupportedHeatmap, "\(file)")
        }
    }

    @Test func grayImagesOfTheImageFixturesReadAsValues() throws {
        let gray8 = try ImageDecoder.decodeGrayHeatmapPNG(Fixtures.bytes("ok/png_gray8.png"), maxValues: Self.maxValues)
        let image = try ImageDecoder.decode(Fixtures.bytes("ok/png_gray8.png"))
        #expect(gray8.width == image.width && gray8.height == image.height)
        for i in stride(from: 0, to: gray8.values.count, by: 97) {
            #expect(gray8.values[i] == Float(image.pixels[3 * i]) / 255)
        }
        let gray16 = try ImageDecoder.decodeGrayHeatmapPNG(Fixtures.bytes("ok/png_gray16.png"), maxValues: Self.maxValues)
        #expect(gray16.bitDepth == 16)
        #expect(gray16.values[52 * gray16.width + 54] == Float(19843) / 65535)
        let limited = Fixtures.code { () throws(EngineError) in
            try ImageDecoder.decodeGrayHeatmapPNG(Fixtures.bytes("ok/png_gray16.png"), maxValues: 240 * 160 - 1)
        }
        #expect(limited == .heatmapTooLarge)
    }
}
