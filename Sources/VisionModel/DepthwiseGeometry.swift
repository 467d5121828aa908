/// The shape bookkeeping of one depthwise convolution with TF "SAME" padding (ARCHITECTURE.md §2.1).
struct DepthwiseGeometry: Sendable, Equatable {
    let height: Int
    let width: Int
    let kernel: Int
    let stride: Int
    let padTop: Int
    let padBottom: Int
    let padLeft: Int
    let padRight: Int
    let outHeight: Int
    let outWidth: Int

    /// TF "SAME": out = ceil(n/s), total = max((out−1)·s + k − n, 0), before = total/2, after = total − before.
    init(height: Int, width: Int, kernel: Int, stride: Int) {
        let (oh, top, bottom) = Self.samePadding(height, kernel: kernel, stride: stride)
        let (ow, left, right) = Self.samePadding(width, kernel: kernel, stride: stride)
        self.height = height
        self.width = width
        self.kernel = kernel
        self.stride = stride
        self.padTop = top
        self.padBottom = bottom
        self.padLeft = left
        self.padRight = right
        self.outHeight = oh
        self.outWidth = ow
    }

    static func samePadding(_ n: Int, kernel: Int, stride: Int) -> (out: Int, before: Int, after: Int) {
        let out = (n + stride - 1) / stride
        let total = max((out - 1) * stride + kernel - n, 0)
        return (out, total / 2, total - total / 2)
    }

    var paddedHeight: Int { height + padTop + padBottom }
    var paddedWidth: Int { width + padLeft + padRight }
    var inputPlane: Int { height * width }
    var outputPlane: Int { outHeight * outWidth }

    /// Width of each of the `stride²` phase planes of the padded input: ceil(paddedWidth / stride).
    var phaseWidth: Int { (paddedWidth + stride - 1) / stride }
    /// Height of each phase plane: ceil(paddedHeight / stride).
    var phaseHeight: Int { (paddedHeight + stride - 1) / stride }
    /// Length of the accumulation grid: outHeight rows of `phaseWidth`, less the widest tap offset so that every
    /// tap's read stays inside its phase plane. Output (y, x) is grid element y·phaseWidth + x.
    var gridCount: Int { outHeight * phaseWidth - (kernel - 1) / stride }
    /// Floats of scratch `Kernels.depthwisePlane` and its transpose need: the phase planes plus the grid.
    var scratchCount: Int { stride * stride * phaseHeight * phaseWidth + outHeight * phaseWidth }
}
