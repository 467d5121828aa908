import Imaging
import Testing

/// Hand-made JPEG/PNG variants: unsupported JPEG processes, libjpeg warnings that must be fatal, libpng
/// warnings that must not be, chunk rules.
@Suite struct CodecEdgeCaseTests {
    static let base = EncoderTests.smooth(width: 48, height: 32)

    /// Offset of the first marker `code` (e.g. 0xC0 for SOF0) in a JPEG, walking the segments.
    static func markerOffset(_ jpeg: [UInt8], _ code: UInt8) -> Int? {
        var i = 2
        while i + 4 <= jpeg.count, jpeg[i] == 0xFF {
            if jpeg[i + 1] == code { return i }
            if jpeg[i + 1] == 0xDA { return nil }
            i += 2 + (Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3]))
        }
        return nil
    }

    static func message<T>(_ body: () throws(EngineError) -> T) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func baselineEncodingDecodes() throws {
        let jpeg = ImageEncoder.jpeg(Self.base)
        #expect(Self.markerOffset(jpeg, 0xC0) != nil)
        #expect(try ImageDecoder.decode(jpeg).width == 48)
    }

    @Test func arithmeticCodingIsUnsupported() throws {
        var jpeg = ImageEncoder.jpeg(Self.base)
        let sof = try #require(Self.markerOffset(jpeg, 0xC0))
        jpeg[sof + 1] = 0xC9  // SOF9: extended sequential, arithmetic coding
        let text = Self.message { () throws(EngineError) in try ImageDecoder.decode(jpeg) }
        #expect(text.hasPrefix("unreadable_image") && text.contains("arithmetic"), "\(text)")
        #expect(Fixtures.code { () throws(EngineError) in try ImageDecoder.probe(jpeg) } == .unreadableImage)
    }

    @Test func twelveBitIsUnsupported() throws {
        var jpeg = ImageEncoder.jpeg(Self.base)
        let sof = try #require(Self.markerOffset(jpeg, 0xC0))
        jpeg[sof + 1] = 0xC1  // SOF1 (extended sequential Huffman) allows 12-bit
        jpeg[sof + 4] = 12
        let text = Self.message { () throws(EngineError) in try ImageDecoder.decode(jpeg) }
        #expect(text.hasPrefix("unreadable_image"), "\(text)")
    }

    @Test func losslessIsUnsupported() throws {
        var jpeg = ImageEncoder.jpeg(Self.base)
        let sof = try #require(Self.markerOffset(jpeg, 0xC0))
        jpeg[sof + 1] = 0xC3  // SOF3: lossless
        let text = Self.message { () throws(EngineError) in try ImageDecoder.decode(jpeg) }
        #expect(text.hasPrefix("unreadable_image"), "\(text)")
    }

    @Test func extraneousBytesBeforeAMarkerAreFatal() throws {
        let jpeg = ImageEncoder.jpeg(Self.base)
        let sof = try #require(Self.markerOffset(jpeg, 0xC0))
        // libjpeg skips the 5 stray bytes with the warning JWRN_EXTRANEOUS_DATA and would decode the image.
        let patched = Array(jpeg[..<sof]) + [1, 2, 3, 4, 5] + Array(jpeg[sof...])
        let text = Self.message { () throws(EngineError) in try ImageDecoder.decode(patched) }
        #expect(text.hasPrefix("unreadable_image") && text.contains("extraneous bytes"), "\(text)")
    }

    @Test func truncatedJPEGIsFatalAtEveryCut() throws {
        let jpeg = ImageEncoder.jpeg(EncoderTests.pattern(width: 64, height: 64, seed: 7))
        let sos = try #require(jpeg.indices.dropLast().first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xDA })
        for cut in stride(from: 2, to: jpeg.count - 2, by: max(1, (jpeg.count - 2) / 60)) {
            let code = Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(Array(jpeg[..<cut])) }
            #expect(code == .unreadableImage, "cut at \(cut) of \(jpeg.count) (SOS at \(sos))")
        }
    }

    @Test func missingEOIIsTolerated() throws {
        // All scanlines present, only the final FF D9 missing: the pixels are complete, so this decodes.
        let jpeg = ImageEncoder.jpeg(Self.base)
        #expect(jpeg.suffix(2) == [0xFF, 0xD9])
        let decoded = try ImageDecoder.decode(Array(jpeg.dropLast(2)))
        #expect(decoded == (try ImageDecoder.decode(jpeg)))
    }

    @Test func progressiveCutAtAScanBoundaryIsFatal() throws {
        // Without the later scans libjpeg would return a blurred image without any entropy-decoder warning.
        let jpeg = Fixtures.bytes("ok/jpeg_progressive.jpg")
        let scans = jpeg.indices.dropLast().filter { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xDA }
        #expect(scans.count > 3)
        for sos in scans.dropFirst() {
            let code = Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(Array(jpeg[..<sos])) }
            #expect(code == .unreadableImage, "cut before the scan at \(sos)")
        }
        // Missing only the EOI is still fatal for a progressive file (libjpeg can't tell it from a cut).
        let noEOI = Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(Array(jpeg.dropLast(2))) }
        #expect(noEOI == .unreadableImage)
    }

    /// PNG chunks of an encoded image: (offset, length, type).
    static func chunks(_ png: [UInt8]) -> [(offset: Int, length: Int, type: String)] {
        var out: [(Int, Int, String)] = []
        var i = 8
        while i + 12 <= png.count {
            let length = Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3])
            out.append((i, length, String(decoding: png[i + 4..<i + 8], as: UTF8.self)))
            i += 12 + length
        }
        return out
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let n = data.count
        var c: [UInt8] = [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
        c += Array(type.utf8) + data
        let crc = OrientationTests.crc32(c[4...])
        return c + [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
    }

    @Test func extraDataAfterTheZlibStreamIsOnlyAWarning() throws {
        let png = ImageEncoder.png(Self.base)
        let idat = try #require(Self.chunks(png).last { $0.type == "IDAT" })
        let data = Array(png[idat.offset + 8..<idat.offset + 8 + idat.length]) + [0xDE, 0xAD, 0xBE, 0xEF]
        let patched = Array(png[..<idat.offset]) + Self.chunk("IDAT", data) + Array(png[(idat.offset + 12 + idat.length)...])
        #expect(try ImageDecoder.decode(patched) == Self.base)
    }

    @Test func extraIDATAfterTheImageIsOnlyAWarning() throws {
        let png = ImageEncoder.png(Self.base)
        let iend = try #require(Self.chunks(png).last { $0.type == "IEND" })
        let patched = Array(png[..<iend.offset]) + Self.chunk("IDAT", [1, 2, 3, 4, 5, 6]) + Array(png[iend.offset...])
        #expect(try ImageDecoder.decode(patched) == Self.base)
    }

    @Test func ancillaryChunkRules() throws {
        let png = ImageEncoder.png(Self.base)
        let afterIHDR = 8 + 25
        func insert(_ chunk: [UInt8]) -> [UInt8] { Array(png[..<afterIHDR]) + chunk + Array(png[afterIHDR...]) }
        // Unknown ancillary chunk: ignored.
        #expect(try ImageDecoder.decode(insert(Self.chunk("zzZz", [9, 9, 9]))) == Self.base)
        // Ancillary chunk with a bad CRC: libpng discards it with a warning.
        var text = Self.chunk("tEXt", Array("Comment\u{0}hello".utf8))
        text[text.count - 1] ^= 1
        #expect(try ImageDecoder.decode(insert(text)) == Self.base)
        // Unknown critical chunk: fatal.
        let critical = Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(insert(Self.chunk("ZZZZ", [1]))) }
        #expect(critical == .unreadableImage)
        // APNG control chunks (acTL/fcTL) are ancillary: the default image is decoded.
        let actl = Self.chunk("acTL", [0, 0, 0, 1, 0, 0, 0, 0])
        #expect(try ImageDecoder.decode(insert(actl)) == Self.base)
    }

    @Test func paletteWithTransparencyAndLowBitDepthsDecode() throws {
        // 2x2 palette image, 2-bit, with tRNS: alpha dropped, colours from PLTE.
        var ihdr: [UInt8] = [0, 0, 0, 2, 0, 0, 0, 2, 2, 3, 0, 0, 0]
        let plte = Self.chunk("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9])
        let trns = Self.chunk("tRNS", [0, 128])
        // Rows: filter byte 0, then 2 pixels of 2 bits: indices (0,1) and (2,3).
        let idat = Self.chunk("IDAT", Self.storedZlib([0, 0b0001_0000, 0, 0b1011_0000]))
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += Self.chunk("IHDR", ihdr) + plte + trns + idat + Self.chunk("IEND", [])
        let image = try ImageDecoder.decode(png)
        #expect(image.pixels == [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9])
        // Same data as 1-bit-deep? Use gray 1-bit: 0 → 0, 1 → 255.
        ihdr = [0, 0, 0, 2, 0, 0, 0, 2, 1, 0, 0, 0, 0]
        let gray = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Self.chunk("IHDR", ihdr)
            + Self.chunk("IDAT", Self.storedZlib([0, 0b0100_0000, 0, 0b1000_0000])) + Self.chunk("IEND", [])
        #expect(try ImageDecoder.decode(gray).pixels == [0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0])
        // A 1-bit gray PNG is not a heatmap.
        let code = Fixtures.code { () throws(EngineError) in try ImageDecoder.decodeGrayHeatmapPNG(gray, maxValues: 10) }
        #expect(code == .unsupportedHeatmap)
    }

    /// A zlib stream with one stored (uncompressed) block.
    static func storedZlib(_ data: [UInt8]) -> [UInt8] {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        let n = data.count
        let adler = b << 16 | a
        return [0x78, 0x01, 0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)] + data
            + [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
    }
}
