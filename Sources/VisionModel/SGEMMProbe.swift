import COpenBLAS
import Dispatch

/// Measures this machine's OpenBLAS SGEMM throughput (for the model benchmark's FLOP-rate comparison).
public enum SGEMMProbe {
    /// The kernel family OpenBLAS chose when it loaded (e.g. "SkylakeX", "Haswell", or "Prescott" when it did not
    /// recognise the CPU and fell back to SSE3; `OPENBLAS_CORETYPE` overrides the choice at process start).
    public static var kernelName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// GFLOP/s of `C = A·B` for square `size × size` float32 matrices with `threads` OpenBLAS threads: the best of
    /// `repeats` timed runs after one warm-up (2·size³ FLOPs per run).
    public static func measureGFLOPS(size: Int = 1024, threads: Int, repeats: Int = 5) -> Double {
        let n = max(1, size)
        let a = [Float](repeating: 0.5, count: n * n)
        let b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        openblas_set_num_threads(Int32(max(1, threads)))
        var best = Double.infinity
        for run in 0...max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, c, Int32(n))
                    }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if run > 0 { best = min(best, seconds) }
        }
        return 2 * Double(n) * Double(n) * Double(n) / best / 1e9
    }
}
