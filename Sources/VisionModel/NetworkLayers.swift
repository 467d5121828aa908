import Foundation

/// Inference batch-norm folded into the preceding convolution: `scale = γ / sqrt(var + eps)`, `shift = β − mean·scale`.
struct FoldedBatchNorm {
    static let epsilon = 1e-3

    let scale: [Float]
    let shift: [Float]

    /// Reads `<prefix>.{weight,bias,running_mean,running_var}` (each of `channels` elements).
    init(_ dict: StateDict, prefix: String, channels: Int) throws(VisionModelError) {
        let gamma = try dict.tensor(prefix + ".weight", shape: [channels]).values
        let beta = try dict.tensor(prefix + ".bias", shape: [channels]).values
        let mean = try dict.tensor(prefix + ".running_mean", shape: [channels]).values
        let variance = try dict.tensor(prefix + ".running_var", shape: [channels]).values
        var scale = [Float](repeating: 0, count: channels)
        var shift = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            // eps is added before the square root: 130 channels have running_var == 0 exactly.
            let s = Double(gamma[c]) / (Double(variance[c]) + Self.epsilon).squareRoot()
            scale[c] = Float(s)
            shift[c] = Float(Double(beta[c]) - Double(mean[c]) * s)
        }
        self.scale = scale
        self.shift = shift
    }

    /// Multiplies each output row (`rowLength` weights per output channel) by its channel's scale.
    func fold(into weights: [Float], rowLength: Int) -> [Float] {
        var folded = weights
        for c in 0..<scale.count {
            for i in 0..<rowLength { folded[c * rowLength + i] *= scale[c] }
        }
        return folded
    }
}

/// A 1×1 convolution (O×I matrix) with its batch-norm folded in: `y = W'·x + bias`.
struct PointwiseLayer {
    let outChannels: Int
    let inChannels: Int
    let weights: [Float]
    let bias: [Float]

    init(_ dict: StateDict, conv: String, bn: String, inChannels: Int, outChannels: Int) throws(VisionModelError) {
        let w = try dict.tensor(conv + ".weight", shape: [outChannels, inChannels, 1, 1]).values
        let norm = try FoldedBatchNorm(dict, prefix: bn, channels: outChannels)
        self.outChannels = outChannels
        self.inChannels = inChannels
        self.weights = norm.fold(into: w, rowLength: inChannels)
        self.bias = norm.shift
    }

    var multiplyAccumulates: Int { outChannels * inChannels }
}

/// A depthwise k×k convolution with its batch-norm folded in, and its TF-SAME geometry.
struct DepthwiseLayer {
    let channels: Int
    let geometry: DepthwiseGeometry
    /// Folded weights, tap-major: `tapMajorWeights[(ky·k + kx)·C + c]` (the channels-last kernels' layout).
    let tapMajorWeights: [Float]
    let bias: [Float]

    init(_ dict: StateDict, conv: String, bn: String, channels: Int, geometry: DepthwiseGeometry) throws(VisionModelError) {
        let k = geometry.kernel
        let w = try dict.tensor(conv + ".weight", shape: [channels, 1, k, k]).values
        let norm = try FoldedBatchNorm(dict, prefix: bn, channels: channels)
        let folded = norm.fold(into: w, rowLength: k * k)
        var tapMajor = [Float](repeating: 0, count: folded.count)
        for c in 0..<channels {
            for tap in 0..<(k * k) { tapMajor[tap * channels + c] = folded[c * k * k + tap] }
        }
        self.channels = channels
        self.geometry = geometry
        self.tapMajorWeights = tapMajor
        self.bias = norm.shift
    }
}

/// One MBConv block (no squeeze-excitation): optional 1×1 expand + BN + ReLU6, depthwise + BN + ReLU6,
/// 1×1 project + BN, and a residual add when stride is 1 and Cin = Cout.
struct MBConvBlock {
    let expand: PointwiseLayer?
    let depthwise: DepthwiseLayer
    let project: PointwiseLayer
    let isResidual: Bool

    var inChannels: Int { expand?.inChannels ?? depthwise.channels }
    var outChannels: Int { project.outChannels }
    var hiddenChannels: Int { depthwise.channels }
    var inputPlane: Int { depthwise.geometry.inputPlane }
    var outputPlane: Int { depthwise.geometry.outputPlane }

    var multiplyAccumulates: Int {
        let g = depthwise.geometry
        return (expand?.multiplyAccumulates ?? 0) * g.inputPlane
            + hiddenChannels * g.kernel * g.kernel * g.outputPlane
            + project.multiplyAccumulates * g.outputPlane
    }
}
