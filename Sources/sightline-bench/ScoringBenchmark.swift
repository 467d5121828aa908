import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scoring benchmark (run by scripts/bench-scoring; not a test).
///
/// In one run, over the same generated cases (224×224 and 1024×768 images, one rect or polygon region, raw heatmaps
/// 7×7 and 14×14): the engine's §3 normalisation + all §4 metrics against a vectorised numpy/OpenCV implementation of
/// the same pipeline (scripts/bench/numpy_baseline.py), single thread, median times and the ratio (goal ≥ 10×); the
/// resize alone against `cv2.resize` (goal ≥ 1×); and the peak memory (max RSS of a separate process) of scoring one
/// heatmap against a 50-megapixel image (goal < 1 GiB).
///
/// Options: `--python PATH` (required for the numpy side), `--baseline FILE` (numpy_baseline.py),
/// `--min-seconds S` (time per measurement, default 1), `--dir DIR` (scratch), `--skip-memory`.
enum ScoringBenchmark {
    struct Case {
        var id: String
        var width: Int
        var height: Int
        var raw: FloatMap
        var regions: RegionSet
        var mask: Mask
        var heatmapPath: String
        var maskPath: String
    }

    static func run(_ arguments: [String]) throws {
        if arguments.first == "--memory-child" {
            try memoryChild(Array(arguments.dropFirst()))
            return
        }
        var python: String? = nil
        var baseline: String? = nil
        var minSeconds = 1.0
        var scratch = NSTemporaryDirectory() + "sightline-bench-scoring"
        var skipMemory = false
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch a {
            case "--python": python = value; i += 1
            case "--baseline": baseline = value; i += 1
            case "--min-seconds": minSeconds = Double(value) ?? 1; i += 1
            case "--dir": scratch = value; i += 1
            case "--skip-memory": skipMemory = true
            default: throw BenchError.usage("unknown option \(a)")
            }
            i += 1
        }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let cases = try makeCases(in: scratch)

        // Engine side.
        print("Scoring benchmark: §3 normalisation + all §4 metrics, one heatmap × one region, single thread")
        print("(median of repeated runs; the numpy side is scripts/bench/numpy_baseline.py)\n")
        var engine: [String: (pipeline: Timing, resize: Timing, metrics: MetricSet)] = [:]
        var breakdown: [String] = []
        for c in cases {
            var last: MetricSet? = nil
            let pipeline = try measure(minSeconds: minSeconds) {
                let g = HeatmapNormalizer.normalize(c.raw, width: c.width, height: c.height)
                last = try Metrics.compute(g: g, mask: c.mask)
            }
            let g = HeatmapNormalizer.normalize(c.raw, width: c.width, height: c.height)
            let metricsOnly = try measure(minSeconds: minSeconds / 2) { _ = try Metrics.compute(g: g, mask: c.mask) }
            let normalizeOnly = try measure(minSeconds: minSeconds / 2) {
                _ = HeatmapNormalizer.normalize(c.raw, width: c.width, height: c.height)
            }
            breakdown.append("\(c.id): normalise \(String(format: "%.3f", normalizeOnly.wall)) ms "
                             + "(cpu \(String(format: "%.3f", normalizeOnly.cpu))), metrics "
                             + "\(String(format: "%.3f", metricsOnly.wall)) ms (cpu \(String(format: "%.3f", metricsOnly.cpu)))")
            let n = minMaxed(c.raw)
            var sink: Float = 0
            let resize = try measure(minSeconds: minSeconds / 2) {
                let u = BilinearResizer.resize(n, width: c.width, height: c.height)
                sink += u.values[u.values.count / 2]
            }
            if sink.isNaN { print("") }
            if let last { engine[c.id] = (pipeline, resize, last) }
        }

        // numpy side.
        var numpy: [String: JSONValue] = [:]
        var versions = ""
        if let python, let baseline {
            let manifest = JSONValue.array(cases.map { c in
                .object([("id", .string(c.id)), ("width", .number(Double(c.width))),
                         ("height", .number(Double(c.height))), ("heatmap", .string(c.heatmapPath)),
                         ("mask", .string(c.maskPath))])
            })
            let manifestPath = scratch + "/cases.json"
            try JSONWriter.serialize(manifest).write(toFile: manifestPath, atomically: true, encoding: .utf8)
            let output = try runProcess(python, [baseline, manifestPath, "--min-seconds", String(minSeconds)])
            let parsed = try JSONParser.parse(output)
            for item in parsed["cases"]?.arrayValue ?? [] {
                if let id = item["id"]?.stringValue { numpy[id] = item }
            }
            if let v = parsed["versions"] {
                versions = "numpy \(v["numpy"]?.stringValue ?? "?"), opencv \(v["opencv"]?.stringValue ?? "?"), "
                    + "python \(v["python"]?.stringValue ?? "?")"
            }
        } else {
            print("(no --python/--baseline: numpy side skipped)\n")
        }

        func fmt(_ v: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", v) }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        print(pad("case", 24) + pad("engine ms", 11) + pad("numpy ms", 11) + pad("ratio", 9)
              + pad("engine cpu", 12) + pad("numpy cpu", 11) + pad("cpu ratio", 11) + "max |metric diff|")
        var worstRatio = Double.infinity, worstCPURatio = Double.infinity
        for c in cases {
            guard let e = engine[c.id] else { continue }
            var line = pad(c.id, 24) + pad(fmt(e.pipeline.wall), 11)
            if let n = numpy[c.id], let ms = n["pipeline_ms"]?.numberValue, let cpu = n["pipeline_cpu_ms"]?.numberValue {
                let ratio = ms / e.pipeline.wall, cpuRatio = cpu / e.pipeline.cpu
                worstRatio = min(worstRatio, ratio)
                worstCPURatio = min(worstCPURatio, cpuRatio)
                line += pad(fmt(ms), 11) + pad(fmt(ratio, 1) + "x", 9) + pad(fmt(e.pipeline.cpu), 12) + pad(fmt(cpu), 11)
                    + pad(fmt(cpuRatio, 1) + "x", 11) + String(format: "%.2e", metricDiff(e.metrics, n["metrics"]))
            }
            print(line)
        }
        if worstRatio.isFinite {
            print("pipeline: engine at least \(fmt(worstRatio, 1))x faster than numpy in wall time, "
                  + "\(fmt(worstCPURatio, 1))x in thread CPU time (goal ≥ 10x): "
                  + (worstRatio >= 10 ? "MET" : (worstCPURatio >= 10 ? "MET in CPU time only" : "NOT MET")))
        }
        print("")
        print(pad("resize alone", 24) + pad("engine ms", 11) + pad("cv2 ms", 11) + pad("ratio", 9)
              + pad("engine cpu", 12) + pad("cv2 cpu", 11) + "cpu ratio")
        var worstResize = Double.infinity, worstResizeCPU = Double.infinity
        var seen: Set<String> = []
        for c in cases {
            let key = "\(c.raw.width)x\(c.raw.height) -> \(c.width)x\(c.height)"
            guard seen.insert(key).inserted, let e = engine[c.id] else { continue }
            var line = pad(key, 24) + pad(fmt(e.resize.wall, 4), 11)
            if let n = numpy[c.id], let ms = n["resize_ms"]?.numberValue, let cpu = n["resize_cpu_ms"]?.numberValue {
                worstResize = min(worstResize, ms / e.resize.wall)
                worstResizeCPU = min(worstResizeCPU, cpu / e.resize.cpu)
                line += pad(fmt(ms, 4), 11) + pad(fmt(ms / e.resize.wall, 2) + "x", 9) + pad(fmt(e.resize.cpu, 4), 12)
                    + pad(fmt(cpu, 4), 11) + fmt(cpu / e.resize.cpu, 2) + "x"
            }
            print(line)
        }
        if worstResize.isFinite {
            print("resize: engine vs cv2.resize at least \(fmt(worstResize, 2))x (wall), \(fmt(worstResizeCPU, 2))x (cpu) "
                  + "(goal ≥ 1x): " + (worstResize >= 1 ? "MET" : (worstResizeCPU >= 1 ? "MET in CPU time only" : "NOT MET")))
        }
        if !versions.isEmpty { print("baseline: \(versions), threads = 1") }
        print("\nengine breakdown (median ms):")
        for line in breakdown { print("  " + line) }

        if !skipMemory {
            print("")
            try memoryReport(scratch: scratch)
        }
    }

    // MARK: cases

    static func makeCases(in dir: String) throws -> [Case] {
        var cases: [Case] = []
        for (width, height) in [(224, 224), (1024, 768)] {
            for side in [7, 14] {
                for shape in ["rect", "polygon"] {
                    let id = "\(width)x\(height) \(shape) \(side)x\(side)"
                    let raw = blob(side: side, seed: UInt64(width + side))
                    let sx = Double(width) / 224, sy = Double(height) / 224
                    let region: Shape = shape == "rect"
                        ? .rect(x: 60 * sx, y: 50 * sy, width: 100 * sx, height: 90 * sy)
                        : .polygon(points: [(60, 50), (170, 62), (150, 120), (110, 100.5), (80, 150)].map {
                            ($0.0 * sx + 0.3, $0.1 * sy + 0.7)
                        })
                    let regions = RegionSet(regions: [Region(label: "thing", shapes: [region])])
                    let mask = try Rasterizer.mask(for: [region], width: width, height: height)
                    let base = dir + "/" + id.replacingOccurrences(of: " ", with: "_")
                    try Data(NPYWriter.float32(raw)).write(to: URL(fileURLWithPath: base + "_R.npy"))
                    let maskMap = FloatMap(width: width, height: height, values: mask.bits.map { Float($0) })
                    try Data(NPYWriter.float32(maskMap)).write(to: URL(fileURLWithPath: base + "_M.npy"))
                    cases.append(Case(id: id, width: width, height: height, raw: raw, regions: regions, mask: mask,
                                      heatmapPath: base + "_R.npy", maskPath: base + "_M.npy"))
                }
            }
        }
        return cases
    }

    /// A Gaussian blob (centre of the region) plus deterministic noise, with some negative values.
    static func blob(side: Int, seed: UInt64) -> FloatMap {
        var state = seed
        var values = [Float](repeating: 0, count: side * side)
        let c = Double(side) * 0.45, s = Double(side) * 0.18
        for y in 0..<side {
            for x in 0..<side {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let noise = Double(state >> 40) / Double(1 << 24)
                let d2 = (Double(x) - c) * (Double(x) - c) + (Double(y) - c) * (Double(y) - c)
                values[y * side + x] = Float(exp(-d2 / (2 * s * s)) + 0.08 * noise - 0.03)
            }
        }
        return FloatMap(width: side, height: side, values: values)
    }

    /// Steps 1–2 of §3 on the raw map (what is fed to the resize).
    static func minMaxed(_ raw: FloatMap) -> FloatMap {
        var v = raw.values.map { max($0, 0) }
        let lo = v.min() ?? 0
        for i in v.indices { v[i] -= lo }
        let hi = v.max() ?? 0
        for i in v.indices { v[i] /= (1e-7 + hi) }
        return FloatMap(width: raw.width, height: raw.height, values: v)
    }

    static func metricDiff(_ m: MetricSet, _ n: JSONValue?) -> Double {
        guard let n else { return .nan }
        var worst = 0.0
        func check(_ a: Double?, _ key: String) {
            guard let a, let b = n[key]?.numberValue else { return }
            worst = max(worst, abs(a - b))
        }
        check(m.energyRatio, "energy_ratio")
        check(m.coverage, "coverage")
        check(m.iou, "iou")
        check(m.hotArea, "hot_area")
        check(m.rankAccuracy, "rank_accuracy")
        check(m.auc, "auc")
        check(m.spread, "spread")
        if let c = m.centroid, let nc = n["centroid"]?.arrayValue, nc.count == 2,
           let x = nc[0].numberValue, let y = nc[1].numberValue
        {
            worst = max(worst, abs(c.x - x) / Double(1024), abs(c.y - y) / Double(1024))
        }
        if let p = m.pointingGame, let q = n["pointing_game"]?.boolValue, p != q { worst = 1 }
        return worst
    }

    /// Median wall time and median thread CPU time (ms) of repeated runs (after two warm-up runs).
    static func measure(minSeconds: Double, _ body: () throws -> Void) throws -> Timing {
        try body()
        try body()
        var wall: [Double] = [], cpu: [Double] = []
        let start = now()
        while wall.count < 2000 && (wall.count < 5 || now() - start < minSeconds) {
            let t0 = now(), c0 = threadCPU()
            try body()
            cpu.append((threadCPU() - c0) * 1000)
            wall.append((now() - t0) * 1000)
        }
        wall.sort()
        cpu.sort()
        return Timing(wall: wall[wall.count / 2], cpu: cpu[cpu.count / 2])
    }

    struct Timing {
        var wall: Double
        var cpu: Double
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    // MARK: memory

    /// Scores one 14×14 heatmap against a 50 MP (8000×6250) image in a child process, twice: with `--size`
    /// semantics (no decode) and from a generated 50 MP JPEG (decode included); prints each child's max RSS.
    static func memoryReport(scratch: String) throws {
        let width = 8000, height = 6250
        let heatmap = scratch + "/mem_R.npy"
        try Data(NPYWriter.float32(blob(side: 14, seed: 7))).write(to: URL(fileURLWithPath: heatmap))
        let jpeg = scratch + "/mem_50mp.jpg"
        if !FileManager.default.fileExists(atPath: jpeg) {
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    pixels[i] = UInt8(truncatingIfNeeded: x / 32)
                    pixels[i + 1] = UInt8(truncatingIfNeeded: y / 25)
                    pixels[i + 2] = UInt8(truncatingIfNeeded: (x + y) / 64)
                }
            }
            try Data(ImageEncoder.jpeg(RGBImage(width: width, height: height, pixels: pixels), quality: 80))
                .write(to: URL(fileURLWithPath: jpeg))
        }
        let executable = CommandLine.arguments[0]
        for (label, extra) in [("size 8000x6250 (no decode)", ["size"]), ("50 MP JPEG decoded", ["image", jpeg])] {
            let t0 = ContinuousClock.now
            let (status, maxRSSKiB) = try spawnAndMeasure(
                executable, ["scoring", "--memory-child", heatmap, String(width), String(height)] + extra)
            let seconds = (ContinuousClock.now - t0).components.seconds
            let mib = Double(maxRSSKiB) / 1024
            print("peak memory, one 14x14 heatmap vs \(label): max RSS \(String(format: "%.0f", mib)) MiB "
                  + "(goal < 1024 MiB: \(mib < 1024 ? "MET" : "NOT MET")), exit \(status), \(seconds) s")
        }
    }

    /// Child: the CLI's path (`ScoringJob`) for one heatmap and one rect region at the given size.
    static func memoryChild(_ arguments: [String]) throws {
        guard arguments.count >= 4, let width = Int(arguments[1]), let height = Int(arguments[2]) else {
            throw BenchError.usage("--memory-child HEATMAP W H size|image PATH")
        }
        let region = Shape.rect(x: Double(width) / 4, y: Double(height) / 4, width: Double(width) / 2,
                                height: Double(height) / 2)
        let regions = RegionSet(regions: [Region(label: "thing", shapes: [region])]).toJSON()
        let job = ScoringJob(
            imagePath: arguments[3] == "image" ? arguments[4] : nil,
            size: arguments[3] == "image" ? nil : (width, height), regions: .value(regions),
            heatmaps: [("thing", arguments[0])], description: "a thing", options: ScoringOptions())
        let result = try job.run()
        print(result.evaluation.diagnosis.jsonText().prefix(80))
    }

    static func spawnAndMeasure(_ executable: String, _ arguments: [String]) throws -> (Int32, Int) {
        var pid: pid_t = 0
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchError.usage("posix_spawn failed: \(rc)") }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        return ((status >> 8) & 0xFF, Int(usage.ru_maxrss))
    }

    static func runProcess(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"] {
            environment[key] = "1"
        }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError.usage("numpy baseline failed") }
        return String(decoding: data, as: UTF8.self)
    }

    enum BenchError: Error { case usage(String) }
}
