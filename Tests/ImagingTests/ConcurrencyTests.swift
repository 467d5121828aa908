import Imaging
import Testing

/// The codecs keep no global state: decoding the same files on many tasks at once gives the serial results.
@Suite struct ConcurrencyTests {
    @Test func concurrentDecodesMatchSerialOnes() async throws {
        let files = Fixtures.okImages.map(\.file) + Fixtures.badImages.map(\.file)
        var serial: [String: RGBImage?] = [:]
        for file in files { serial[file] = try? ImageDecoder.decode(Fixtures.bytes(file)) }
        let results = await withTaskGroup(of: (String, RGBImage?).self) { group in
            for _ in 0..<4 {
                for file in files {
                    group.addTask { (file, try? ImageDecoder.decode(Fixtures.bytes(file))) }
                }
            }
            var out: [(String, RGBImage?)] = []
            for await result in group { out.append(result) }
            return out
        }
        #expect(results.count == files.count * 4)
        for (file, image) in results {
            #expect(image == serial[file] ?? nil, "\(file)")
        }
    }
}
