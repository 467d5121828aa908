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

    /// Depthwise k×k convolution in channels-last layout for output rows `rows`: `input` is H×W×C, `output`
    /// Ho×Wo×C, `weights` tap-major (k²×C), `bias` C; taps that fall in the TF-SAME zero padding are skipped.
    /// Writes ReLU6(conv + bias). The inner loops run over the C contiguous channels.
    static func depthwiseChannelsLast(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, channels: Int, geometry g: DepthwiseGeometry, rows: Range<Int>
    ) {
        let k = g.kernel
        let s = g.stride
        for y in rows {
            // Kernel rows/columns whose input pixel is inside the image (the rest read the zero padding).
            let kyLow = max(0, g.padTop - s * y)
            let kyHigh = max(kyLow, min(k, g.height + g.padTop - s * y))
            for x in 0..<g.outWidth {
                let kxLow = max(0, g.padLeft - s * x)
                let kxHigh = max(kxLow, min(k, g.width + g.padLeft - s * x))
                let out = output + (y * g.outWidth + x) * channels
                out.update(from: bias, count: channels)
                for ky in kyLow..<kyHigh {
                    let row = input + ((s * y + ky - g.padTop) * g.width + (s * x - g.padLeft)) * channels
                    let taps = weights + ky * k * channels
                    for kx in kxLow..<kxHigh {
                        let src = row + kx * channels
                        let w = taps + kx * channels
                        for c in 0..<channels { out[c] += w[c] * src[c] }
                    }
                }
                for c in 0..<channels { out[c] = min(max(out[c], 0), 6) }
            }
        }
    }

    /// Transpose of `depthwiseChannelsLast`'s convolution (channels-last): `gradIn` (H×W×C) receives
    /// Σ w[tap][c] · gradOut[y][x][c] at every input pixel a tap read; the padding's share is dropped.
    static func depthwiseChannelsLastBackward(
        gradOut: UnsafePointer<Float>, gradIn: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>,
        channels: Int, geometry g: DepthwiseGeometry
    ) {
        let k = g.kernel
        let s = g.stride
        gradIn.update(repeating: 0, count: g.inputPlane * channels)
        for y in 0..<g.outHeight {
            let kyLow = max(0, g.padTop - s * y)
            let kyHigh = max(kyLow, min(k, g.height + g.padTop - s * y))
            for x in 0..<g.outWidth {
                let kxLow = max(0, g.padLeft - s * x)
                let kxHigh = max(kxLow, min(k, g.width + g.padLeft - s * x))
                let grad = gradOut + (y * g.outWidth + x) * channels
                for ky in kyLow..<kyHigh {
                    let row = gradIn + ((s * y + ky - g.padTop) * g.width + (s * x - g.padLeft)) * channels
                    let taps = weights + ky * k * channels
                    for kx in kxLow..<kxHigh {
                        let dst = row + kx * channels
                        let w = taps + kx * channels
                        for c in 0..<channels { dst[c] += w[c] * grad[c] }
                    }
                }
            }
        }
    }

    /// In place over pixels `pixels` of a channels-last buffer: `x[p][c] = ReLU6(x[p][c] + bias[c])`.
    static func addBiasReLU6ChannelsLast(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, channels: Int, pixels: Range<Int>) {
        for p in pixels {
            let row = x + p * channels
            for c in 0..<channels { row[c] = min(max(row[c] + bias[c], 0), 6) }
        }
    }

    /// A 1×1 convolution on channels-last data: `y (pixels × O) = x (pixels × I) · Wᵀ`, with W stored O×I.
    static func multiplyByTransposedWeights(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        pixels: Int, inChannels: Int, outChannels: Int
    ) {
        multiply(x, transposeA: false, lda: inChannels, w, transposeB: true, ldb: inChannels, y, m: pixels, n: outChannels, k: inChannels)
    }

    /// In place on channels-last data: `x[p][c] += bias[c] (+ residual[p][c])`.
    static func addBiasChannelsLast(
        _ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, channels: Int, pixels: Int
    ) {
        for p in 0..<pixels {
            let row = x + p * channels
            if let residual {
                let r = residual + p * channels
                for c in 0..<channels { row[c] += bias[c] + r[c] }
            } else {
                for c in 0..<channels { row[c] += bias[c] }
            }
        }
    }

    /// General row-major SGEMM: C (m×n) = op(A) · op(B), op = transpose when the flag is set.
    static func multiply(
        _ a: UnsafePointer<Float>, transposeA: Bool, lda: Int, _ b: UnsafePointer<Float>, transposeB: Bool, ldb: Int,
        _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(n)
        )
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
