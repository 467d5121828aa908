import Imaging
import Testing

/// 1,000 deterministic corrupted copies of the good images: each must decode or throw an `EngineError`.
/// A crash (libjpeg exit, trap, segfault) kills the whole test run, which is the point of this test.
@Suite struct CorruptSweepTests {
    static let copies = 1_000

    enum Mutation: CaseIterable {
        case truncate, flipBits, overwrite, flipHeader, truncateAndFlip
    }

    static func mutate(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        let kind = Mutation.allCases[Int(rng.next() % UInt64(Mutation.allCases.count))]
        func position(limit: Int? = nil) -> Int {
            let n = min(bytes.count, limit ?? bytes.count)
            return n > 0 ? Int(rng.next() % UInt64(n)) : 0
        }
        switch kind {
        case .truncate:
            bytes = Array(bytes[..<position()])
        case .flipBits:
            for _ in 0..<(1 + Int(rng.next() % 8)) where !bytes.isEmpty {
                bytes[position()] ^= UInt8(1) << (rng.next() % 8)
            }
        case .overwrite:
            let start = position()
            let length = 1 + Int(rng.next() % 32)
            for i in start..<min(bytes.count, start + length) { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
        case .flipHeader:  // markers, IHDR, tables, EXIF: where parsers branch
            for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                bytes[position(limit: 700)] ^= UInt8(1) << (rng.next() % 8)
            }
        case .truncateAndFlip:
            bytes = Array(bytes[..<max(1, position())])
            bytes[position()] ^= UInt8(1) << (rng.next() % 8)
        }
        return bytes
    }

    @Test func corruptedCopiesNeverCrash() {
        let originals = Fixtures.okImages.map { Fixtures.bytes($0.file) }.filter { !$0.isEmpty }
        #expect(originals.count == 15)
        var rng = SplitMix64(seed: 20_261_129)
        var decoded = 0
        var failures: [EngineErrorCode: Int] = [:]
        var other = 0
        for index in 0..<Self.copies {
            let bytes = Self.mutate(originals[index % originals.count], &rng)
            do {
                let image = try ImageDecoder.decode(bytes)
                #expect(image.pixels.count == image.width * image.height * 3)
                decoded += 1
            } catch {
                failures[error.code, default: 0] += 1
                if error.code != .unreadableImage && error.code != .imageTooLarge { other += 1 }
            }
            _ = try? ImageDecoder.probe(bytes)
            if index % 3 == 0 { _ = try? ImageDecoder.decodeGrayHeatmapPNG(bytes, maxValues: 16_000_000) }
        }
        #expect(other == 0)
        #expect(decoded + failures.values.reduce(0, +) == Self.copies)
        // Not a correctness bound, only a sanity check that the sweep exercises both outcomes.
        #expect(decoded > 0)
        #expect((failures[.unreadableImage] ?? 0) > Self.copies / 4)
        print("corrupt sweep: \(decoded) decoded, errors \(failures.map { "\($0.key.rawValue)=\($0.value)" })")
    }

    @Test(arguments: Fixtures.okImages)
    func truncatedCopyIsAnError(_ entry: Fixtures.OKImage) {
        let bytes = Fixtures.bytes(entry.file)
        for fraction in [0.0, 0.1, 0.5, 0.8] {
            let cut = Array(bytes[..<Int(Double(bytes.count) * fraction)])
            let code = Fixtures.code { () throws(EngineError) in try ImageDecoder.decode(cut) }
            #expect(code == .unreadableImage, "\(entry.file) cut at \(fraction)")
        }
    }
}
