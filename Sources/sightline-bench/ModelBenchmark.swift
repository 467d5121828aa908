import Dispatch
import Foundation
import VisionModel

/// `sightline-bench model`: times the EfficientNet-Lite0 forward pass and forward + Grad-CAM (head and stage5, top-1
/// class) with 1 and 2 threads, and measures SGEMM GFLOP/s. Run by `scripts/bench-model`, which compares the figures
/// with PyTorch on the same input.
///
/// Options: `--weights PATH` (default $SIGHTLINE_MODEL_WEIGHTS), `--input FILE.npy` (float32 (1,3,224,224)) or
/// `--image FILE`, `--threads 1,2`, `--repeat 30`, `--warmup 3`, `--json-out FILE`.
enum ModelBenchmark {
    static func run(_ arguments: [String]) throws {
        var options: [String: String] = [:]
        var i = 0
        while i < arguments.count {
            let key = arguments[i]
            guard key.hasPrefix("--"), i + 1 < arguments.count else { return fail("bad argument \(key)") }
            options[String(key.dropFirst(2))] = arguments[i + 1]
            i += 2
        }
        let threadCounts = (options["threads"] ?? "1,2").split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
        let repeats = max(1, Int(options["repeat"] ?? "30") ?? 30)
        let warmup = max(0, Int(options["warmup"] ?? "3") ?? 3)

        let weights = try EfficientNetLite0.weightsPath(explicit: options["weights"])
        var start = DispatchTime.now().uptimeNanoseconds
        let network = try EfficientNetLite0(contentsOf: weights)
        let loadMilliseconds = milliseconds(since: start)

        let input: ModelInput
        if let npy = options["input"] {
            input = try ModelInput(values: try readFloat32NPY(npy))
        } else if let image = options["image"] {
            input = try ModelInput(contentsOfImage: image)
        } else {
            return fail("pass --input FILE.npy or --image FILE")
        }

        let flops = 2 * network.multiplyAccumulates
        print("model: EfficientNet-Lite0, \(String(format: "%.3f", Double(flops) / 1e9)) GFLOP per forward pass (\(network.multiplyAccumulates) multiply-adds)")
        print("model: OpenBLAS kernels: \(SGEMMProbe.kernelName)")
        print("model: weights loaded in \(String(format: "%.1f", loadMilliseconds)) ms")

        var report: [String: Any] = ["flops": flops, "load_ms": loadMilliseconds, "blas_kernels": SGEMMProbe.kernelName]
        var perThreads: [String: Any] = [:]
        var logits: [Float] = []
        var top1 = 0
        for threads in threadCounts {
            let gflops = SGEMMProbe.measureGFLOPS(size: 1024, threads: threads)
            // Forward only.
            for _ in 0..<warmup { _ = network.infer(input, threads: threads) }
            var forward: [Double] = []
            var forwardCPU: [Double] = []
            for _ in 0..<repeats {
                start = DispatchTime.now().uptimeNanoseconds
                let cpu = threadCPUNanoseconds()
                let inference = network.infer(input, threads: threads)
                forwardCPU.append(Double(threadCPUNanoseconds() - cpu) / 1e6)
                forward.append(milliseconds(since: start))
                logits = inference.logits
            }
            top1 = logits.indices.max { logits[$0] < logits[$1] } ?? 0
            // Forward + Grad-CAM at both layers for the top-1 class.
            for _ in 0..<warmup { _ = try gradCAMs(network, input, top1, threads) }
            var gradcam: [Double] = []
            var gradcamCPU: [Double] = []
            for _ in 0..<repeats {
                start = DispatchTime.now().uptimeNanoseconds
                let cpu = threadCPUNanoseconds()
                _ = try gradCAMs(network, input, top1, threads)
                gradcamCPU.append(Double(threadCPUNanoseconds() - cpu) / 1e6)
                gradcam.append(milliseconds(since: start))
            }
            let f = median(forward)
            let g = median(gradcam)
            if threads == 1 {
                // With one thread all work runs on this thread, so its CPU time is a load-independent figure.
                print(String(format: "swift threads=1 CPU time: forward %.2f ms, forward+gradcam %.2f ms", median(forwardCPU), median(gradcamCPU)))
            }
            print(String(
                format: "swift threads=%d: forward %.2f ms (min %.2f), forward+gradcam(head,stage5) %.2f ms (min %.2f); %.1f GFLOP/s effective; SGEMM 1024^3 %.1f GFLOP/s",
                threads, f, forward.min() ?? 0, g, gradcam.min() ?? 0, Double(flops) / (f / 1000) / 1e9, gflops
            ))
            perThreads[String(threads)] = [
                "forward_ms": f, "forward_min_ms": forward.min() ?? 0,
                "gradcam_ms": g, "gradcam_min_ms": gradcam.min() ?? 0, "sgemm_gflops": gflops,
                "forward_cpu_ms": median(forwardCPU), "gradcam_cpu_ms": median(gradcamCPU),
            ]
        }
        report["threads"] = perThreads
        report["top1"] = top1
        report["logits"] = logits.map { Double($0) }
        let inference = network.infer(input, threads: 1)
        let head = try network.gradCAM(inference, classIndex: top1, layer: .head)
        let stage5 = try network.gradCAM(inference, classIndex: top1, layer: .stage5)
        report["cam_head"] = head.values.map { Double($0) }
        report["cam_stage5"] = stage5.values.map { Double($0) }
        if let path = options["json-out"] {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            try data.write(to: URL(fileURLWithPath: path))
        }
    }

    private static func gradCAMs(_ network: EfficientNetLite0, _ input: ModelInput, _ c: Int, _ threads: Int) throws -> (GradCAMMap, GradCAMMap) {
        let inference = network.infer(input, threads: threads)
        let head = try network.gradCAM(inference, classIndex: c, layer: .head, threads: threads)
        let stage5 = try network.gradCAM(inference, classIndex: c, layer: .stage5, threads: threads)
        return (head, stage5)
    }

    /// CPU time consumed by the calling thread.
    private static func threadCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    private static func milliseconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private static func fail(_ message: String) {
        FileHandle.standardError.write(Data("sightline-bench model: \(message)\n".utf8))
        exit(2)
    }

    /// The values of a NumPy v1.0 little-endian float32 C-order file.
    private static func readFloat32NPY(_ path: String) throws -> [Float] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count > 10, bytes[0] == 0x93 else { throw CocoaError(.fileReadCorruptFile) }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<min(bytes.count, 10 + headerLength)], as: UTF8.self)
        guard header.contains("'<f4'"), header.contains("False") else { throw CocoaError(.fileReadCorruptFile) }
        let start = 10 + headerLength
        let count = (bytes.count - start) / 4
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
            }
        }
        return values
    }
}
