import Foundation
import Imaging

/// Decode benchmark: our `ImageDecoder` against Pillow's `Image.open(p).load()` on the same generated
/// 12-megapixel photographic JPEG, in one run. Prints both medians, the ratio and the peak RSS of a decode.
///
/// Usage: `sightline-bench decode [--runs N] [--width W --height H] [--quality Q] [--fixtures DIR]
/// [--dir DIR] [--python PATH]`; `sightline-bench decode --rss FILE` decodes once and prints peak RSS (used by
/// the benchmark itself, in a child process, so the generation step doesn't count).
enum DecodeBenchmark {
    struct Options {
        var runs = 9
        var width = 4000
        var height = 3000
        var quality = 90
        var fixtures = "Tests/Fixtures/images"
        var directory: String?
        var python: String?
        var rssFile: String?
    }

    static func run(_ arguments: [String]) throws {
        let options = try parse(arguments)
        if let file = options.rssFile {
            try measureRSS(file)
            return
        }
        let directory = options.directory ?? NSTemporaryDirectory() + "sightline-bench-decode-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if options.directory == nil { try? FileManager.default.removeItem(atPath: directory) } }

        let path = directory + "/photo_\(options.width)x\(options.height)_q\(options.quality).jpg"
        let generation = Date()
        let jpeg = try makePhoto(options)
        try Data(jpeg).write(to: URL(fileURLWithPath: path))
        print(String(format: "generated %@: %d x %d, quality %d, %.2f MB (%.1f s)", path, options.width,
                     options.height, options.quality, Double(jpeg.count) / 1e6, Date().timeIntervalSince(generation)))

        // Ours and Pillow alternate, one decode each per round, so that load from other processes on a shared
        // machine hits both alike. Both time file read + decode (Pillow's open().load() reads the file too).
        let pillow = try options.python.map { try PillowWorker(python: $0, path: path) }
        _ = try ImageDecoder.decode(contentsOf: path)  // warm-up (Pillow warms up in its constructor)
        var ours: [Double] = []
        var theirs: [Double] = []
        for _ in 0..<options.runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let image = try ImageDecoder.decode(contentsOf: path)
            let end = DispatchTime.now().uptimeNanoseconds
            guard image.width == options.width, image.height == options.height else {
                throw BenchmarkError("unexpected decode size \(image.width) x \(image.height)")
            }
            ours.append(Double(end - start) / 1e9)
            if let pillow { theirs.append(try pillow.timeOneDecode()) }
        }
        print(String(format: "sightline ImageDecoder.decode: median %.1f ms over %d runs (min %.1f, max %.1f)",
                     median(ours) * 1000, options.runs, (ours.min() ?? 0) * 1000, (ours.max() ?? 0) * 1000))
        if let pillow {
            print(String(format: "Pillow %@ (libjpeg-turbo %@) Image.open().load(): median %.1f ms over %d runs "
                         + "(min %.1f, max %.1f)", pillow.version, pillow.turbo, median(theirs) * 1000, options.runs,
                         (theirs.min() ?? 0) * 1000, (theirs.max() ?? 0) * 1000))
            let ratio = median(ours) / median(theirs)
            print(String(format: "ratio sightline / Pillow (medians) = %.3f: %@ (target <= 1.0)", ratio,
                         ratio <= 1.0 ? "no slower than Pillow" : "SLOWER than Pillow"))
            print(String(format: "Pillow peak RSS after %d decodes (whole Python process): %.1f MiB", options.runs + 1,
                         try pillow.peakRSSMiB()))
            pillow.finish()
        } else {
            print("Pillow: skipped (no --python)")
        }
        print(try childRSS(path))

        // The rotated path (EXIF orientation 6: strips scattered into columns), ours only.
        let rotatedPath = directory + "/photo_orientation6.jpg"
        try Data(insertingOrientation6(jpeg)).write(to: URL(fileURLWithPath: rotatedPath))
        var rotated: [Double] = []
        for _ in 0..<max(3, options.runs / 2) {
            let start = DispatchTime.now().uptimeNanoseconds
            let image = try ImageDecoder.decode(contentsOf: rotatedPath)
            rotated.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            guard image.width == options.height else { throw BenchmarkError("orientation 6 not applied") }
        }
        print(String(format: "sightline decode of the same JPEG with EXIF orientation 6 (rotated while decoding): "
                     + "median %.1f ms over %d runs", median(rotated) * 1000, rotated.count))
    }

    /// The JPEG with an APP1 Exif segment (little-endian TIFF, Orientation = 6) right after SOI.
    static func insertingOrientation6(_ jpeg: [UInt8]) -> [UInt8] {
        let tiff: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + Array(jpeg.dropFirst(2))
    }

    // MARK: - Test image

    /// A photo-like image: a fixture photo enlarged bilinearly, plus deterministic fine grain and mid-scale
    /// texture so the JPEG carries as much high-frequency detail as a real camera image.
    static func makePhoto(_ options: Options) throws -> [UInt8] {
        let source = try ImageDecoder.decode(contentsOf: options.fixtures + "/ok/jpeg_progressive.jpg")
        var image = ImageResampler.resize(source, width: options.width, height: options.height)
        let width = options.width
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<options.height {
                for x in 0..<width {
                    let fine = Int(hash(UInt64(x), UInt64(y)) % 21) - 10
                    let coarse = Int(hash(UInt64(x / 5), UInt64(y / 5) &+ 77_777) % 17) - 8
                    let i = (y * width + x) * 3
                    for c in 0..<3 {
                        let tint = Int(hash(UInt64(x), UInt64(y) &* 3 &+ UInt64(c)) % 5) - 2
                        pixels[i + c] = UInt8(clamping: Int(pixels[i + c]) + fine + coarse + tint)
                    }
                }
            }
        }
        let jpeg = ImageEncoder.jpeg(image, quality: options.quality)
        guard !jpeg.isEmpty else { throw BenchmarkError("JPEG encoding failed") }
        return jpeg
    }

    @inline(__always)
    static func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &* 0x9E37_79B9_7F4A_7C15 ^ (b &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // MARK: - Memory

    /// Peak resident set of this process in MiB: VmHWM (which, unlike ru_maxrss, is not inherited across exec).
    static func peakRSSMiB() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
        {
            return kib / 1024
        }
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576
        #endif
    }

    /// Child-process mode: one decode, peak RSS before and after.
    static func measureRSS(_ file: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let before = peakRSSMiB()
        let image = try ImageDecoder.decode([UInt8](bytes))
        let after = peakRSSMiB()
        print(String(format: "peak RSS of one decode (fresh process): %.1f MiB, %.1f MiB above the %.1f MiB before "
                     + "decoding (which includes the %.1f MB file); the RGB output itself is %.1f MiB", after,
                     after - before, before, Double(bytes.count) / 1e6, Double(image.pixels.count) / 1_048_576))
    }

    static func childRSS(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["decode", "--rss", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - Pillow

    /// A Python child that times one `Image.open(path).load()` per request line.
    final class PillowWorker {
        static let script = """
            import sys, time
            from PIL import Image, features
            import PIL
            path = sys.argv[1]
            def peak():
                for line in open("/proc/self/status"):
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
                return 0.0
            with Image.open(path) as im:
                im.load()  # warm-up
            print(PIL.__version__, features.version("libjpeg_turbo") or "?", flush=True)
            for command in sys.stdin:
                if command.strip() == "rss":
                    print(peak(), flush=True)
                    continue
                t = time.perf_counter()
                im = Image.open(path)
                im.load()
                elapsed = time.perf_counter() - t
                im.close()
                print(elapsed, flush=True)
            """

        let process = Process()
        let input = Pipe()
        let output = Pipe()
        var buffer: [UInt8] = []
        var version = "?"
        var turbo = "?"

        init(python: String, path: String) throws {
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", Self.script, path]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            let header = try readLine().split(separator: " ").map(String.init)
            version = header.first ?? "?"
            turbo = header.dropFirst().first ?? "?"
        }

        func request(_ command: String) throws -> String {
            input.fileHandleForWriting.write(Data((command + "\n").utf8))
            return try readLine()
        }

        func timeOneDecode() throws -> Double {
            let line = try request("go")
            guard let seconds = Double(line) else { throw BenchmarkError("bad Pillow reply: \(line)") }
            return seconds
        }

        func peakRSSMiB() throws -> Double { Double(try request("rss")) ?? .nan }

        func readLine() throws -> String {
            while true {
                if let newline = buffer.firstIndex(of: 10) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    return line
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { throw BenchmarkError("Pillow worker exited (is Pillow installed?)") }
                buffer += chunk
            }
        }

        func finish() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    // MARK: - Helpers

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw BenchmarkError("missing value for \(arguments[index - 1])") }
            return arguments[index]
        }
        func integer() throws -> Int {
            let text = try value()
            guard let number = Int(text), number > 0 else { throw BenchmarkError("not a positive integer: \(text)") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--runs": options.runs = try integer()
            case "--width": options.width = try integer()
            case "--height": options.height = try integer()
            case "--quality": options.quality = try integer()
            case "--fixtures": options.fixtures = try value()
            case "--dir": options.directory = try value()
            case "--python": options.python = try value()
            case "--rss": options.rssFile = try value()
            default: throw BenchmarkError("unknown option \(arguments[index])")
            }
            index += 1
        }
        return options
    }

    struct BenchmarkError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
