import COpenBLAS
import Dispatch

/// A pointer that may cross into the worker closures of `Kernels.parallelFor` (each worker touches disjoint ranges).
struct SharedPointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}

/// A chunk body shared by the workers of `Kernels.parallelFor`; the workers write disjoint ranges.
struct ChunkTask: @unchecked Sendable {
    let body: (Range<Int>) -> Void
}

/// The numeric kernels of the network: SGEMM wrappers, fused epilogues, depthwise convolution and its transpose.
/// All buffers are contiguous C×H×W float32.
enum Kernels {
    /// Sets the OpenBLAS thread count (process-wide) for the next calls.
    static func setBLASThreads(_ threads: Int) {
        openblas_set_num_threads(Int32(max(1, threads)))
    }

    /// Runs `body` over `0..<count` split into at most `threads` contiguous chunks (serially when threads ≤ 1 or
    /// when the work is too small to be worth waking a second thread).
    static func parallelFor(_ count: Int, threads: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let workers = min(threads, count)
        if workers <= 1 || work < 32_768 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let task = ChunkTask(body: escapable)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let start = count * worker / workers
                let end = count * (worker + 1) / workers
                if start < end { task.body(start..<end) }
            }
        }
    }

    /// C (m×n) = A (m×k) · B (k×n), row-major; `transposeA` reads A as its transpose (A stored k×m).
    static func multiply(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, transposeA: Bool = false, accumulate: Bool = false
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1, a, Int32(transposeA ? m : k), b, Int32(n), accumulate ? 1 : 0, c, Int32(n)
        )
    }

    /// y (m) = A (m×n) · x (n), or Aᵀ·x when `transpose` (then y has n elements).
    static func multiplyVector(
        _ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        rows: Int, columns: Int, transpose: Bool = false
    ) {
        cblas_sgemv(
            CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), 1, a, Int32(columns),
            x, 1, 0, y, 1
        )
    }

    /// In place: `x[c][i] = ReLU6(x[c][i] + bias[c])` over channels `channels`.
    @inline(__always)
    static func addBiasReLU6(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, channels: Range<Int>, plane: Int) {
        for c in channels {
            let b = bias[c]
            let row = x + c * plane
            for i in 0..<plane {
                row[i] = min(max(row[i] + b, 0), 6)
            }
        }
    }

    /// In place: `x[c][i] += bias[c] (+ residual[c][i])`.
    static func addBias(
        _ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, channels: Int, plane: Int
    ) {
        for c in 0..<channels {
            let b = bias[c]
            let row = x + c * plane
            if let residual {
                let r = residual + c * plane
                for i in 0..<plane { row[i] += b + r[i] }
            } else {
                for i in 0..<plane { row[i] += b }
            }
        }
    }

    /// Depthwise k×k convolution of one channel plane with TF-SAME zero padding, then bias + ReLU6.
    ///
    /// The zero-padded plane P is split into `stride²` phase planes `Q_ab[i][j] = P[s·i + a][s·j + b]` of a common
    /// width `Wq`, so every kernel tap becomes one long contiguous multiply-add over an `outHeight × Wq` grid
    /// (`acc[i] += w · Q[offset + i]`); the columns past `outWidth` are scratch and dropped at the end.
    /// `scratch` must hold `geometry.scratchCount` floats.
    @inline(__always)
    static func depthwisePlane(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>, bias: Float,
        geometry g: DepthwiseGeometry, scratch: UnsafeMutablePointer<Float>
    ) {
        let s = g.stride
        let k = g.kernel
        let wq = g.phaseWidth
        let phaseSize = g.phaseHeight * wq
        let phases = scratch
        let acc = scratch + s * s * phaseSize
        fillPhases(input, phases, geometry: g)
        let n = g.gridCount
        acc.update(repeating: 0, count: n)
        for ky in 0..<k {
            for kx in 0..<k {
                let w = weights[ky * k + kx]
                let src = phases + ((ky % s) * s + kx % s) * phaseSize + (ky / s) * wq + kx / s
                for i in 0..<n { acc[i] += w * src[i] }
            }
        }
        let outWidth = g.outWidth
        for y in 0..<g.outHeight {
            let row = acc + y * wq
            let out = output + y * outWidth
            for x in 0..<outWidth { out[x] = min(max(row[x] + bias, 0), 6) }
        }
    }

    /// The phase planes of the zero-padded input: `Q_ab[i][j] = P[s·i + a][s·j + b]`, zero outside the image.
    @inline(__always)
    static func fillPhases(_ input: UnsafePointer<Float>, _ phases: UnsafeMutablePointer<Float>, geometry g: DepthwiseGeometry) {
        let s = g.stride
        let wq = g.phaseWidth
        let hq = g.phaseHeight
        phases.update(repeating: 0, count: s * s * hq * wq)
        if s == 1 {
            for y in 0..<g.height {
                (phases + (y + g.padTop) * wq + g.padLeft).update(from: input + y * g.width, count: g.width)
            }
            return
        }
        for y in 0..<g.height {
            let py = y + g.padTop
            let a = py % s
            let src = input + y * g.width
            for b in 0..<s {
                // Input columns x with (x + padLeft) % s == b go to phase (a, b), column (x + padLeft) / s.
                let first = ((b - g.padLeft) % s + s) % s
                guard first < g.width else { continue }
                let dst = phases + ((a * s + b) * hq + py / s) * wq + (first + g.padLeft) / s
                let count = (g.width - first + s - 1) / s
                for j in 0..<count { dst[j] = src[first + s * j] }
            }
        }
    }

    /// Transpose of `depthwisePlane`'s convolution for one channel: the incoming gradient is laid on the
    /// `outHeight × Wq` grid (zero in the scratch columns), scattered back through every tap into the phase planes,
    /// which are then read back at the unpadded input positions (gradient landing in the padding is discarded).
    @inline(__always)
    static func depthwisePlaneBackward(
        gradOut: UnsafePointer<Float>, gradIn: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>,
        geometry g: DepthwiseGeometry, scratch: UnsafeMutablePointer<Float>
    ) {
        let s = g.stride
        let k = g.kernel
        let wq = g.phaseWidth
        let hq = g.phaseHeight
        let phaseSize = hq * wq
        let phases = scratch
        let grid = scratch + s * s * phaseSize
        let n = g.gridCount
        phases.update(repeating: 0, count: s * s * phaseSize)
        grid.update(repeating: 0, count: n)
        for y in 0..<g.outHeight {
            (grid + y * wq).update(from: gradOut + y * g.outWidth, count: g.outWidth)
        }
        for ky in 0..<k {
            for kx in 0..<k {
                let w = weights[ky * k + kx]
                let dst = phases + ((ky % s) * s + kx % s) * phaseSize + (ky / s) * wq + kx / s
                for i in 0..<n { dst[i] += w * grid[i] }
            }
        }
        for y in 0..<g.height {
            let py = y + g.padTop
            let a = py % s
            let out = gradIn + y * g.width
            for b in 0..<s {
                let first = ((b - g.padLeft) % s + s) % s
                guard first < g.width else { continue }
                let src = phases + ((a * s + b) * hq + py / s) * wq + (first + g.padLeft) / s
                let count = (g.width - first + s - 1) / s
                for j in 0..<count { out[first + s * j] = src[j] }
            }
        }
    }

    /// In place: `g[i] = 0` wherever the ReLU6 output `a[i]` is not strictly inside (0, 6). Since a = min(max(z,0),6),
    /// 0 < a < 6 exactly when 0 < z < 6: PyTorch's hardtanh backward (open interval).
    static func maskReLU6Gradient(_ g: UnsafeMutablePointer<Float>, activation a: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let v = a[i]
            g[i] = (v > 0 && v < 6) ? g[i] : 0
        }
    }
}
