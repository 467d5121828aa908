import Foundation
import Testing
@testable import Engine

/// Heatmap readers beyond the fixture files: header limits, overflow to float32, JSON edge cases, the `.npy` writer.
@Suite("Heatmap readers: edge cases")
struct HeatmapReaderTests {
    private func code(_ bytes: [UInt8]) -> EngineErrorCode? {
        do { _ = try HeatmapReader.read(bytes); return nil } catch { return error.code }
    }

    /// A `.npy` file with the given header dictionary and data bytes (format 1.0).
    private func npy(_ dictionary: String, data: [UInt8], version: UInt8 = 1) -> [UInt8] {
        var header = Array(dictionary.utf8)
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0A)
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
        if version == 1 {
            bytes += [UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
        } else {
            bytes += [UInt8(header.count & 0xFF), UInt8(header.count >> 8), 0, 0]
        }
        return bytes + header + data
    }

    private func float64Bytes(_ values: [Double]) -> [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt64($0))) } }
    }

    @Test("a header claiming more than 16e6 values is heatmap_too_large before any data is read")
    func headerLimit() throws {
        let bytes = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", data: [0, 0, 0, 0])
        #expect(code(bytes) == .heatmapTooLarge)
        let exactlyAtLimit = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4000, 4000), }", data: [])
        #expect(code(exactlyAtLimit) == .unsupportedHeatmap)  // 16e6 values are allowed; the data is missing
        let huge = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999, 3), }", data: [])
        #expect(code(huge) == .heatmapTooLarge)
        // Through a path too (the reader stops after the header).
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-too-large-\(UInt32.random(in: 0...UInt32.max)).npy").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try HeatmapReader.read(contentsOf: path)
            Issue.record("read")
        } catch {
            #expect(error.code == .heatmapTooLarge)
            #expect(error.message.contains(path))
        }
    }

    @Test("a JSON heatmap file over 512 MiB is heatmap_too_large before it is read (sparse file)")
    func hugeJSONFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-huge-\(UInt32.random(in: 0...UInt32.max)).json").path
        FileManager.default.createFile(atPath: path, contents: Data("[[1, 2], [3, 4]]".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(HeatmapReader.maxJSONBytes) + 1)
        try handle.close()
        do {
            _ = try HeatmapReader.read(contentsOf: path)
            Issue.record("read")
        } catch {
            #expect(error.code == .heatmapTooLarge)
        }
    }

    @Test("float64 values that overflow float32 are non_finite_heatmap")
    func float64Overflow() {
        let bytes = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", data: float64Bytes([1, 1e39]))
        #expect(code(bytes) == .nonFiniteHeatmap)
        let fine = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", data: float64Bytes([1, 3.4e38]))
        #expect(code(fine) == nil)
        #expect(code(Array("[[1, 1e39]]".utf8)) == .nonFiniteHeatmap)
        #expect(code(Array("[[1, 1e400]]".utf8)) == .nonFiniteHeatmap)
        #expect(code(Array("[[1, -1e400]]".utf8)) == .nonFiniteHeatmap)
    }

    @Test("JSON heatmaps: BOM, whitespace, exact values; bad structures are unsupported_heatmap")
    func jsonHeatmaps() throws {
        let map = try HeatmapReader.read([0xEF, 0xBB, 0xBF] + Array(" [ [0.5, -1e-3 ,2] ,\n[3,4, 5.25] ] ".utf8))
        #expect(map.width == 3 && map.height == 2)
        #expect(map.values == [0.5, -0.001, 2, 3, 4, 5.25])
        for text in ["[[NaN, 1]]", "[[Infinity]]", "[[1, 2], [3]]", "[[\"1\"]]", "[]", "[[]]", "[1, 2]", "[[[1]]]",
                     "{\"a\": [[1]]}", "[[1, 2],]", "[[1 2]]", "[[true]]", "[[null]]", "[[1]] x", "", "[[1]", "3"] {
            #expect(code(Array(text.utf8)) == .unsupportedHeatmap, "\(text)")
        }
    }

    @Test("npy: shapes, orders, versions and dtypes outside the list")
    func npyVariants() throws {
        let data: [UInt8] = [1, 2, 3, 4, 5, 6]
        let c = try HeatmapReader.read(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", data: data))
        #expect(c.values == [1, 2, 3, 4, 5, 6] && c.width == 3)
        let f = try HeatmapReader.read(npy("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }", data: data))
        #expect(f.values == [1, 3, 5, 2, 4, 6] && f.width == 3)
        let hw1 = try HeatmapReader.read(npy("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3, 1), }", data: data))
        #expect(hw1 == f)
        let v2 = try HeatmapReader.read(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 3), }", data: data, version: 2))
        #expect(v2 == c)
        let half = try HeatmapReader.read(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (1, 4), }",
                                              data: [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0xFF, 0x7B]))
        #expect(half.values == [1, -2, Float(sign: .plus, exponent: -24, significand: 1), 65504])
        #expect(code(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (1, 1), }", data: [0x00, 0x7C])) == .nonFiniteHeatmap)
        for descr in ["<u1", "|i1", ">f4", "<i8", "<u4", "<c8", "|b1", "|O"] {
            #expect(code(npy("{'descr': '\(descr)', 'fortran_order': False, 'shape': (1, 1), }", data: [0, 0, 0, 0, 0, 0, 0, 0])) == .unsupportedHeatmap, "\(descr)")
        }
        #expect(code(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1, 1), }", data: [0, 0, 0, 0])) == .unsupportedHeatmap)
        for shape in ["()", "(4,)", "(2, 2, 2)", "(0, 3)", "(3, 0)", "(1, 2, 3, 1)"] {
            #expect(code(npy("{'descr': '|u1', 'fortran_order': False, 'shape': \(shape), }", data: [UInt8](repeating: 1, count: 8))) == .unsupportedHeatmap, "\(shape)")
        }
        #expect(code(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", data: [1, 2, 3])) == .unsupportedHeatmap)
        #expect(code(Array([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1]))  == .unsupportedHeatmap)
        #expect(code(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", data: data, version: 9)) == .unsupportedHeatmap)
    }

    @Test("corrupt PNG and npy heatmaps stay in the heatmap domain (never a crash)")
    func corruptFiles() {
        for file in ["images/heatmap_formats/gray8.png", "images/heatmap_formats/gray16.png", "images/heatmap_formats/f8.npy",
                     "images/heatmap_formats/floats.json"] {
            let bytes = InputFixtures.bytes(file)
            var generator = InputRandom(seed: 3)
            for cut in [8, 16, 33, bytes.count / 2, bytes.count - 1] where cut < bytes.count {
                if let code = code(Array(bytes.prefix(cut))) {
                    #expect([.unsupportedHeatmap, .nonFiniteHeatmap].contains(code), "\(file) cut at \(cut): \(code)")
                }
            }
            for _ in 0..<100 {
                var copy = bytes
                let index = Int(generator.next() % UInt64(copy.count))
                copy[index] ^= UInt8(truncatingIfNeeded: 1 << (generator.next() % 8))
                if let code = code(copy) {
                    #expect([.unsupportedHeatmap, .nonFiniteHeatmap, .heatmapTooLarge].contains(code), "\(file): \(code)")
                }
            }
        }
    }

    @Test("NPYWriter writes v1.0 <f4 C order that reads back exactly")
    func writer() throws {
        let map = FloatMap(width: 3, height: 2, values: [0.1, -2, 3.5, .leastNonzeroMagnitude, 1e30, 0])
        let bytes = NPYWriter.float32(map)
        #expect(Array(bytes.prefix(8)) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes.count == 10 + headerLength + 24)
        #expect(try HeatmapReader.read(bytes) == map)
    }
}
