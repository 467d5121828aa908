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
}
