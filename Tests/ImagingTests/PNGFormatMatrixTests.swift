import Imaging
import Testing

/// Every PNG colour type × bit depth, plain and Adam7-interlaced, written by hand (stored zlib blocks) and checked
/// pixel by pixel against an independent reference of Pillow's `convert("RGB")` (16-bit: high byte).
@Suite struct PNGFormatMatrixTests {
    struct Format: Sendable, CustomStringConvertible {
        var colorType: UInt8
        var bitDepth: Int
        var interlaced: Bool
        var transparency: Bool
        var description: String { "type \(colorType) depth \(bitDepth)\(interlaced ? " adam7" : "")\(transparency ? " tRNS" : "")" }
    }

    static let formats: [Format] = {
        var out: [Format] = []
        let combos: [(UInt8, [Int])] = [(0, [1, 2, 4, 8, 16]), (2, [8, 16]), (3, [1, 2, 4, 8]), (4, [8, 16]), (6, [8, 16])]
        for (type, depths) in combos {
            for depth in depths {
                for interlaced in [false, true] {
                    out.append(Format(colorType: type, bitDepth: depth, interlaced: interlaced, transparency: false))
                }
                if type == 0 || type == 2 || type == 3 {
                    out.append(Format(colorType: type, bitDepth: depth, interlaced: false, transparency: true))
                }
            }
        }
        return out
    }()

    static let width = 11
    static let height = 9

    static func channels(_ type: UInt8) -> Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][type] ?? 1 }

    /// Samples `[y][x][channel]` in 0 ..< 2^depth (palette: indices), and the expected RGB.
    static func sample(_ format: Format) -> (samples: [[[Int]]], palette: [[UInt8]], expected: [UInt8]) {
        var rng = SplitMix64(seed: UInt64(format.colorType) * 100 + UInt64(format.bitDepth))
        let n = channels(format.colorType)
        let maxValue = (1 << format.bitDepth) - 1
        let paletteSize = format.colorType == 3 ? min(256, 1 << format.bitDepth) : 0
        let palette = (0..<paletteSize).map { _ in (0..<3).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        var samples: [[[Int]]] = []
        var expected: [UInt8] = []
        for _ in 0..<height {
            var row: [[Int]] = []
            for _ in 0..<width {
                let limit = format.colorType == 3 ? paletteSize - 1 : maxValue
                let pixel = (0..<n).map { _ in Int(rng.next() % UInt64(limit + 1)) }
                row.append(pixel)
                func eight(_ v: Int) -> UInt8 {
                    switch format.bitDepth {
                    case 16: return UInt8(v >> 8)
                    case 8: return UInt8(v)
                    default: return UInt8(v * 255 / maxValue)
                    }
                }
                switch format.colorType {
                case 0, 4: expected += [eight(pixel[0]), eight(pixel[0]), eight(pixel[0])]
                case 3: expected += palette[pixel[0]]
                default: expected += [eight(pixel[0]), eight(pixel[1]), eight(pixel[2])]
                }
            }
            samples.append(row)
        }
        return (samples, palette, expected)
    }

    /// One scanline: filter byte 0 then the packed samples.
    static func packRow(_ pixels: [[Int]], depth: Int) -> [UInt8] {
        var out: [UInt8] = [0]
        if depth >= 8 {
            for pixel in pixels {
                for v in pixel { out += depth == 16 ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v)] }
            }
            return out
        }
        var byte = 0, used = 0
        for pixel in pixels {
            for v in pixel {
                byte = byte << depth | v
                used += depth
                if used == 8 {
                    out.append(UInt8(byte))
                    byte = 0
                    used = 0
                }
            }
        }
        if used > 0 { out.append(UInt8(byte << (8 - used))) }
        return out
    }

    static func makePNG(_ format: Format, samples: [[[Int]]], palette: [[UInt8]]) -> [UInt8] {
        var raw: [UInt8] = []
        if format.interlaced {
            let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            for (x0, y0, dx, dy) in passes {
                guard x0 < width, y0 < height else { continue }
                for y in stride(from: y0, to: height, by: dy) {
                    let row = stride(from: x0, to: width, by: dx).map { samples[y][$0] }
                    raw += packRow(row, depth: format.bitDepth)
                }
            }
        } else {
            for row in samples { raw += packRow(row, depth: format.bitDepth) }
        }
        let w = width, h = height
        let ihdr: [UInt8] = [0, 0, 0, UInt8(w), 0, 0, 0, UInt8(h), UInt8(format.bitDepth), format.colorType, 0, 0,
                             format.interlaced ? 1 : 0]
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + CodecEdgeCaseTests.chunk("IHDR", ihdr)
        if format.colorType == 3 { png += CodecEdgeCaseTests.chunk("PLTE", palette.flatMap { $0 }) }
        if format.transparency {
            switch format.colorType {
            case 0: png += CodecEdgeCaseTests.chunk("tRNS", [0, 1])
            case 2: png += CodecEdgeCaseTests.chunk("tRNS", [0, 1, 0, 2, 0, 3])
            default: png += CodecEdgeCaseTests.chunk("tRNS", (0..<palette.count).map { UInt8($0 * 37 & 0xFF) })
            }
        }
        // Split the zlib stream over two IDAT chunks, as real encoders may.
        let zlib = CodecEdgeCaseTests.storedZlib(raw)
        let half = zlib.count / 2
        png += CodecEdgeCaseTests.chunk("IDAT", Array(zlib[..<half])) + CodecEdgeCaseTests.chunk("IDAT", Array(zlib[half...]))
        return png + CodecEdgeCaseTests.chunk("IEND", [])
    }

    @Test(arguments: formats)
    func decodesLikePillow(_ format: Format) throws {
        let (samples, palette, expected) = Self.sample(format)
        let png = Self.makePNG(format, samples: samples, palette: palette)
        let info = try ImageDecoder.probe(png)
        #expect(info.storedWidth == Self.width && info.storedHeight == Self.height && info.format == .png)
        let image = try ImageDecoder.decode(png)
        #expect(image.width == Self.width && image.height == Self.height)
        #expect(image.pixels == expected)
        // Only 8/16-bit gray without alpha is a heatmap; its values are v / (2^depth − 1).
        let heatmap = Fixtures.code { () throws(EngineError) in try ImageDecoder.decodeGrayHeatmapPNG(png, maxValues: 1000) }
        if format.colorType == 0 && format.bitDepth >= 8 {
            #expect(heatmap == nil)
            let map = try ImageDecoder.decodeGrayHeatmapPNG(png, maxValues: 1000)
            let scale = Float((1 << format.bitDepth) - 1)
            #expect(map.values == samples.flatMap { $0.map { Float($0[0]) / scale } })
        } else {
            #expect(heatmap == .unsupportedHeatmap)
        }
    }

    @Test func matrixIsComplete() {
        #expect(Self.formats.count == 2 * 15 + 11)
    }
}
