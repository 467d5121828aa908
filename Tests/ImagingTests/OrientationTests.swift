import Imaging
import Testing

/// EXIF orientation 1–8 from a PNG eXIf chunk and a JPEG APP1 segment, against an independent reference of
/// Pillow's `ImageOps.exif_transpose`.
@Suite struct OrientationTests {
    /// 4 x 3 image whose every pixel is distinct (lossless through PNG).
    static let source: RGBImage = {
        var pixels: [UInt8] = []
        for y in 0..<3 {
            for x in 0..<4 { pixels += [UInt8(x * 60), UInt8(y * 100), UInt8(10 + x + 4 * y)] }
        }
        return RGBImage(width: 4, height: 3, pixels: pixels)
    }()

    /// Display pixel (x, y) of `image` under `orientation`, as Pillow's transposes define it.
    static func reference(_ image: RGBImage, orientation: Int) -> RGBImage {
        let w = image.width, h = image.height
        let swaps = orientation >= 5
        let dw = swaps ? h : w, dh = swaps ? w : h
        var pixels = [UInt8](repeating: 0, count: dw * dh * 3)
        for y in 0..<dh {
            for x in 0..<dw {
                let (sx, sy): (Int, Int)
                switch orientation {
                case 2: (sx, sy) = (w - 1 - x, y)  // FLIP_LEFT_RIGHT
                case 3: (sx, sy) = (w - 1 - x, h - 1 - y)  // ROTATE_180
                case 4: (sx, sy) = (x, h - 1 - y)  // FLIP_TOP_BOTTOM
                case 5: (sx, sy) = (y, x)  // TRANSPOSE
                case 6: (sx, sy) = (y, h - 1 - x)  // ROTATE_270 (90° clockwise)
                case 7: (sx, sy) = (w - 1 - y, h - 1 - x)  // TRANSVERSE
                case 8: (sx, sy) = (w - 1 - y, x)  // ROTATE_90 (counter-clockwise)
                default: (sx, sy) = (x, y)
                }
                for c in 0..<3 { pixels[(y * dw + x) * 3 + c] = image.pixels[(sy * w + sx) * 3 + c] }
            }
        }
        return RGBImage(width: dw, height: dh, pixels: pixels)
    }

    /// A minimal TIFF block with one IFD0 entry: Orientation (SHORT) = value.
    static func tiff(orientation: Int, bigEndian: Bool = false, type: UInt16 = 3) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: Int) -> [UInt8] { bigEndian ? u16(v >> 16) + u16(v & 0xFFFF) : u16(v & 0xFFFF) + u16(v >> 16) }
        var out: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        out += u16(42) + u32(8) + u16(2)
        out += u16(0x010F) + u16(2) + u32(4) + [0x41, 0x42, 0x43, 0]  // Make = "ABC"
        out += u16(0x0112) + u16(Int(type)) + u32(1) + u16(orientation) + [0, 0]
        out += u32(0)
        return out
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    /// Inserts an eXIf chunk right after IHDR.
    static func pngWithExif(_ png: [UInt8], exif: [UInt8]) -> [UInt8] {
        let n = exif.count
        var chunk: [UInt8] = [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
        chunk += Array("eXIf".utf8) + exif
        let crc = crc32(chunk[4...])
        chunk += [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        let afterIHDR = 8 + 8 + 13 + 4
        return Array(png[..<afterIHDR]) + chunk + Array(png[afterIHDR...])
    }

    /// Inserts an APP1 Exif segment right after SOI.
    static func jpegWithExif(_ jpeg: [UInt8], exif: [UInt8]) -> [UInt8] {
        let payload = Array("Exif".utf8) + [0, 0] + exif
        let length = payload.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + Array(jpeg[2...])
    }

    @Test(arguments: 1...8)
    func pngExifOrientationIsApplied(_ orientation: Int) throws {
        let png = Self.pngWithExif(ImageEncoder.png(Self.source), exif: Self.tiff(orientation: orientation))
        let info = try ImageDecoder.probe(png)
        #expect(info.orientation == orientation)
        let decoded = try ImageDecoder.decode(png)
        #expect(decoded == Self.reference(Self.source, orientation: orientation))
        #expect(decoded.width == info.displayWidth && decoded.height == info.displayHeight)
    }

    @Test(arguments: 1...8)
    func jpegExifOrientationIsApplied(_ orientation: Int) throws {
        // Decode the plain JPEG, then check the oriented decode is exactly its reference transform.
        let big = ImageResampler.resize(Self.source, width: 40, height: 30)
        let plain = ImageEncoder.jpeg(big, quality: 90)
        let upright = try ImageDecoder.decode(plain)
        let oriented = Self.jpegWithExif(plain, exif: Self.tiff(orientation: orientation, bigEndian: orientation % 2 == 0))
        #expect(try ImageDecoder.probe(oriented).orientation == orientation)
        #expect(try ImageDecoder.decode(oriented) == Self.reference(upright, orientation: orientation))
    }

    @Test func pngExifAfterTheImageDataCounts() throws {
        let png = ImageEncoder.png(Self.source)
        let iend = png.count - 12  // the IEND chunk is the last 12 bytes
        let late = Array(png[..<iend]) + CodecEdgeCaseTests.chunk("eXIf", Self.tiff(orientation: 8)) + Array(png[iend...])
        #expect(try ImageDecoder.probe(late).orientation == 8)
        #expect(try ImageDecoder.decode(late) == Self.reference(Self.source, orientation: 8))
    }

    @Test func exifIsFoundAfterAnXMPSegment() throws {
        let plain = ImageEncoder.jpeg(ImageResampler.resize(Self.source, width: 40, height: 30), quality: 90)
        let upright = try ImageDecoder.decode(plain)
        let withExif = Self.jpegWithExif(plain, exif: Self.tiff(orientation: 3))
        // An XMP APP1 segment in front of the Exif one.
        let xmp = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array("<x:xmpmeta/>".utf8)
        let length = xmp.count + 2
        let both = [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + xmp + Array(withExif[2...])
        #expect(try ImageDecoder.probe(both).orientation == 3)
        #expect(try ImageDecoder.decode(both) == Self.reference(upright, orientation: 3))
    }

    @Test func cmykJPEGIsOrientedToo() throws {
        // The CMYK fixture with an orientation-6 APP1 inserted: rotated copy of the plain CMYK decode.
        let cmyk = Fixtures.bytes("ok/jpeg_cmyk.jpg")
        let upright = try ImageDecoder.decode(cmyk)
        let rotated = try ImageDecoder.decode(Self.jpegWithExif(cmyk, exif: Self.tiff(orientation: 6)))
        #expect(rotated == Self.reference(upright, orientation: 6))
    }

    @Test(arguments: [0, 9, 255, 65535])
    func outOfRangeOrientationCountsAsOne(_ value: Int) throws {
        let png = Self.pngWithExif(ImageEncoder.png(Self.source), exif: Self.tiff(orientation: value))
        #expect(try ImageDecoder.probe(png).orientation == 1)
        #expect(try ImageDecoder.decode(png) == Self.source)
    }

    @Test func unparseableExifCountsAsOne() throws {
        let good = Self.tiff(orientation: 6)
        let broken: [[UInt8]] = [
            [],
            Array(good[..<7]),  // cut inside the header
            Array(good[..<20]),  // cut inside the IFD
            [0x49, 0x49, 0x2B, 0x00] + Array(good[4...]),  // BigTIFF magic
            [0x58, 0x58] + Array(good[2...]),  // no byte order
            Array(good[..<4]) + [0xFF, 0xFF, 0xFF, 0x7F] + Array(good[8...]),  // IFD offset far outside
            Self.tiff(orientation: 6, type: 7),  // UNDEFINED type
        ]
        for exif in broken {
            let png = Self.pngWithExif(ImageEncoder.png(Self.source), exif: exif)
            #expect(try ImageDecoder.decode(png) == Self.source)
            let jpeg = Self.jpegWithExif(ImageEncoder.jpeg(Self.source), exif: exif)
            #expect(try ImageDecoder.probe(jpeg).orientation == 1)
        }
    }
}
