import Foundation
import Imaging
import Testing

/// Every image of Tests/Fixtures/images/expected.json through the decoder.
@Suite struct FixtureDecodeTests {
    @Test func expectationsAreLoaded() {
        #expect(Fixtures.okImages.count == 15)
        #expect(Fixtures.badImages.count == 12)
        #expect(Fixtures.heatmapFormats.count == 16)
    }

    @Test(arguments: Fixtures.okImages)
    func okImageDecodesWithinTolerance(_ entry: Fixtures.OKImage) throws {
        let bytes = Fixtures.bytes(entry.file)
        #expect(!bytes.isEmpty)
        let image = try ImageDecoder.decode(bytes)
        #expect([image.width, image.height] == entry.displaySize)
        #expect(entry.probes.count == 5)
        for probe in entry.probes {
            let i = (probe.y * image.width + probe.x) * 3
            let got = [Int(image.pixels[i]), Int(image.pixels[i + 1]), Int(image.pixels[i + 2])]
            let worst = zip(got, probe.rgb).map { abs($0 - $1) }.max() ?? .max
            #expect(worst <= entry.tolerance, "\(entry.file) at (\(probe.x), \(probe.y)): \(got) vs \(probe.rgb)")
        }
    }

    @Test(arguments: Fixtures.okImages)
    func okImageProbeMatchesHeader(_ entry: Fixtures.OKImage) throws {
        let info = try ImageDecoder.probe(Fixtures.bytes(entry.file))
        #expect(info.format == (entry.format == "JPEG" ? .jpeg : .png))
        #expect([info.storedWidth, info.storedHeight] == entry.storedSize)
        #expect([info.displayWidth, info.displayHeight] == entry.displaySize)
        #expect(info.orientation == entry.orientation)
    }

    @Test(arguments: Fixtures.okImages)
    func okImageDecodesFromPath(_ entry: Fixtures.OKImage) throws {
        let image = try ImageDecoder.decode(contentsOf: Fixtures.imagesDirectory + "/" + entry.file)
        #expect([image.width, image.height] == entry.displaySize)
    }

    @Test(arguments: Fixtures.badImages)
    func badImageGivesItsCode(_ entry: Fixtures.BadFile) {
        let bytes = Fixtures.bytes(entry.file)
        let code = Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(bytes) }
        #expect(code?.rawValue == entry.error, "\(entry.file)")
        let path = Fixtures.imagesDirectory + "/" + entry.file
        let pathCode = Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(contentsOf: path) }
        #expect(pathCode?.rawValue == entry.error, "\(entry.file) by path")
    }

    @Test func tooLargeIsRejectedByProbeToo() {
        for file in ["bad/bomb_100000x100000.png", "bad/ihdr_20001x100.png", "bad/sof_60000x60000.jpg",
                     "bad/sof_8000x8000.jpg"] {
            let bytes = Fixtures.bytes(file)
            #expect(Fixtures.code { () throws(EngineError) in try ImageDecoder.probe(bytes) } == .imageTooLarge)
        }
    }

    @Test func customLimitsApply() throws {
        let bytes = Fixtures.bytes("ok/jpeg_baseline.jpg")
        let tight = ImageLimits(maxPixels: 512 * 511, maxSide: 20_000)
        #expect(Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(bytes, limits: tight) } == .imageTooLarge)
        let side = ImageLimits(maxPixels: 50_000_000, maxSide: 511)
        #expect(Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(bytes, limits: side) } == .imageTooLarge)
        _ = try ImageDecoder.decode(bytes, limits: ImageLimits(maxPixels: 512 * 512, maxSide: 512))
    }

    @Test func unreadablePathsAreUnreadableImage() {
        let missing = Fixtures.imagesDirectory + "/ok/does_not_exist.png"
        #expect(Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(contentsOf: missing) } == .unreadableImage)
        let directory = Fixtures.imagesDirectory + "/ok"
        #expect(Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(contentsOf: directory) } == .unreadableImage)
        #expect(Fixtures.code { () throws(EngineError) in try ImageDecoder.probe(contentsOf: directory) } == .unreadableImage)
    }

    @Test func formatIsDetectedByContent() throws {
        // A PNG named .heatmap / a JPEG without extension: only the bytes count.
        let png = Fixtures.bytes("ok/png_rgb.png")
        #expect(ImageFormat.detect(png) == .png)
        #expect(ImageFormat.detect(Fixtures.bytes("ok/jpeg_baseline.jpg")) == .jpeg)
        #expect(ImageFormat.detect(Fixtures.bytes("bad/image.gif")) == nil)
        #expect(ImageFormat.detect([]) == nil)
    }

    @Test func cmykMatchesThePlainRGBVersionOfTheSamePhoto() throws {
        // jpeg_cmyk.jpg and jpeg_exif_orient3.jpg (rotated back) both come from 'chelsea' at 451x300.
        let cmyk = try ImageDecoder.decode(Fixtures.bytes("ok/jpeg_cmyk.jpg"))
        let rgb = try ImageDecoder.decode(Fixtures.bytes("ok/jpeg_exif_orient3.jpg"))
        #expect(cmyk.width == rgb.width && cmyk.height == rgb.height)
        var total = 0
        for i in 0..<cmyk.pixels.count { total += abs(Int(cmyk.pixels[i]) - Int(rgb.pixels[i])) }
        let mean = Double(total) / Double(cmyk.pixels.count)
        #expect(mean < 6, "mean abs difference \(mean)")
    }
}
