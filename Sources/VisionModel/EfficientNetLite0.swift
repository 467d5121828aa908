/// EfficientNet-Lite0 (ImageNet-1k, 224×224) for CPU inference over OpenBLAS, with batch-norm folded into the
/// convolutions at load time. The computation follows `Tests/Fixtures/model/ARCHITECTURE.md` exactly: TF-SAME
/// padding, BN eps 1e-3, ReLU6, no squeeze-excitation, residual ⇔ stride 1 and Cin = Cout.
///
/// Immutable after loading, so one instance can serve concurrent callers.
public final class EfficientNetLite0: Sendable {
    /// Number of output classes.
    public static let classCount = 1000
    /// Channels of the head activation (the `head` Grad-CAM layer).
    public static let headChannels = 1280
    /// Side of the head activation (7).
    public static let headSide = 7
    /// Channels of block 10's output (the `stage5` Grad-CAM layer).
    public static let stage5Channels = 112
    /// Side of block 10's output (14).
    public static let stage5Side = 14

    static let stemChannels = 32
    static let stemSide = 112
    static let stage5Block = 10

    let stemWeights: [Float]  // 32 × (3·3·3), BN folded
    let stemBias: [Float]
    let blocks: [MBConvBlock]
    let headLayer: PointwiseLayer
    let fcWeights: [Float]  // 1000 × 1280
    let fcBias: [Float]

    /// Builds the network from a state dict with the keys and shapes of ARCHITECTURE.md §2.3.
    public init(stateDict dict: StateDict) throws(VisionModelError) {
        let stem = try dict.tensor("_conv_stem.weight", shape: [Self.stemChannels, 3, 3, 3]).values
        let stemNorm = try FoldedBatchNorm(dict, prefix: "_bn0", channels: Self.stemChannels)
        stemWeights = stemNorm.fold(into: stem, rowLength: 27)
        stemBias = stemNorm.shift
        var blocks: [MBConvBlock] = []
        for (i, spec) in BlockSpec.efficientNetLite0.enumerated() {
            let prefix = "_blocks.\(i)."
            let expand: PointwiseLayer? = spec.expandRatio == 1 ? nil : try PointwiseLayer(
                dict, conv: prefix + "_expand_conv", bn: prefix + "_bn0",
                inChannels: spec.inChannels, outChannels: spec.hiddenChannels
            )
            let geometry = DepthwiseGeometry(height: spec.inputSide, width: spec.inputSide, kernel: spec.kernel, stride: spec.stride)
            let depthwise = try DepthwiseLayer(
                dict, conv: prefix + "_depthwise_conv", bn: prefix + "_bn1", channels: spec.hiddenChannels, geometry: geometry
            )
            let project = try PointwiseLayer(
                dict, conv: prefix + "_project_conv", bn: prefix + "_bn2",
                inChannels: spec.hiddenChannels, outChannels: spec.outChannels
            )
            blocks.append(MBConvBlock(expand: expand, depthwise: depthwise, project: project, isResidual: spec.isResidual))
        }
        self.blocks = blocks
        headLayer = try PointwiseLayer(dict, conv: "_conv_head", bn: "_bn1", inChannels: 320, outChannels: Self.headChannels)
        fcWeights = try dict.tensor("_fc.weight", shape: [Self.classCount, Self.headChannels]).values
        fcBias = try dict.tensor("_fc.bias", shape: [Self.classCount]).values
    }

    /// Loads the network from a PyTorch checkpoint file (zip or legacy `torch.save` format).
    public convenience init(contentsOf path: String) throws(VisionModelError) {
        try self.init(stateDict: StateDict(contentsOf: path))
    }

    /// Multiply-accumulate operations of one forward pass (convolutions and the classifier; one FLOP pair each).
    public var multiplyAccumulates: Int {
        let stem = Self.stemChannels * 27 * Self.stemSide * Self.stemSide
        let blocks = self.blocks.reduce(0) { $0 + $1.multiplyAccumulates }
        let head = headLayer.multiplyAccumulates * Self.headSide * Self.headSide
        return stem + blocks + head + Self.classCount * Self.headChannels
    }

    /// The `c`-th row of the classifier weights (1280 values): the head Grad-CAM α is this divided by 49.
    func classifierRow(_ c: Int) -> ArraySlice<Float> {
        fcWeights[(c * Self.headChannels)..<((c + 1) * Self.headChannels)]
    }

    static func makeBuffer(_ count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Runs the forward pass.
    ///
    /// - Parameters:
    ///   - threads: threads for OpenBLAS (set process-wide for this call) and for the depthwise loops.
    ///   - recordActivations: also keep the stem and every block output (for checksums and debugging).
    public func infer(_ input: ModelInput, threads: Int = 1, recordActivations: Bool = false) -> Inference {
        let threads = max(1, threads)
        Kernels.setBLASThreads(threads)
        var h = stemForward(input.values, threads: threads)
        let stem = recordActivations
            ? FloatTensor(
                uncheckedShape: [Self.stemChannels, Self.stemSide, Self.stemSide],
                values: Self.channelsFirst(h, channels: Self.stemChannels, pixels: Self.stemSide * Self.stemSide)
            )
            : nil
        var outputs: [FloatTensor] = []
        var trace: [Inference.BlockTrace] = []
        var stage5: [Float] = []
        for (i, block) in blocks.enumerated() {
            let (output, expanded, depthwise) = blockForward(block, input: h, threads: threads)
            h = output
            if i > Self.stage5Block { trace.append(Inference.BlockTrace(expanded: expanded, depthwise: depthwise)) }
            if i == Self.stage5Block { stage5 = h }
            if recordActivations {
                let side = block.depthwise.geometry.outHeight
                outputs.append(FloatTensor(
                    uncheckedShape: [block.outChannels, side, side],
                    values: Self.channelsFirst(h, channels: block.outChannels, pixels: side * side)
                ))
            }
        }
        // Head: 1×1 conv + BN + ReLU6 → A (49 × 1280, channels-last), global average pool, classifier.
        let plane = Self.headSide * Self.headSide
        var a = Self.makeBuffer(Self.headChannels * plane)
        var logits = fcBias
        h.withUnsafeBufferPointer { x in
            headLayer.weights.withUnsafeBufferPointer { w in
                headLayer.bias.withUnsafeBufferPointer { b in
                    a.withUnsafeMutableBufferPointer { out in
                        guard let out = out.baseAddress, let x = x.baseAddress, let w = w.baseAddress, let b = b.baseAddress else { return }
                        Kernels.multiplyByTransposedWeights(x, w, out, pixels: plane, inChannels: headLayer.inChannels, outChannels: Self.headChannels)
                        Kernels.addBiasReLU6ChannelsLast(out, bias: b, channels: Self.headChannels, pixels: 0..<plane)
                    }
                }
            }
        }
        var pooled = [Float](repeating: 0, count: Self.headChannels)
        a.withUnsafeBufferPointer { a in
            pooled.withUnsafeMutableBufferPointer { v in
                for p in 0..<plane {
                    for k in 0..<Self.headChannels { v[k] += a[p * Self.headChannels + k] }
                }
                for k in 0..<Self.headChannels { v[k] /= Float(plane) }
            }
        }
        fcWeights.withUnsafeBufferPointer { w in
            pooled.withUnsafeBufferPointer { v in
                logits.withUnsafeMutableBufferPointer { y in
                    guard let w = w.baseAddress, let v = v.baseAddress, let y = y.baseAddress else { return }
                    cblasAccumulate(w, v, y)
                }
            }
        }
        return Inference(
            logits: logits,
            head: FloatTensor(
                uncheckedShape: [Self.headChannels, Self.headSide, Self.headSide],
                values: Self.channelsFirst(a, channels: Self.headChannels, pixels: plane)
            ),
            stage5: FloatTensor(
                uncheckedShape: [Self.stage5Channels, Self.stage5Side, Self.stage5Side],
                values: Self.channelsFirst(stage5, channels: Self.stage5Channels, pixels: Self.stage5Side * Self.stage5Side)
            ),
            stem: stem,
            blockOutputs: outputs,
            headChannelsLast: a,
            trace: trace
        )
    }

    /// logits (already holding the bias) += W · v.
    private func cblasAccumulate(_ w: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        var product = [Float](repeating: 0, count: Self.classCount)
        product.withUnsafeMutableBufferPointer { p in
            guard let p = p.baseAddress else { return }
            Kernels.multiplyVector(w, v, p, rows: Self.classCount, columns: Self.headChannels)
            for i in 0..<Self.classCount { y[i] += p[i] }
        }
    }

    /// Stem: 3×3 stride-2 conv (TF-SAME pad 0,1,0,1) as im2col + SGEMM, then BN + ReLU6.
    /// Returns the activation channels-last (112·112 × 32), the layout block 0's depthwise conv reads.
    func stemForward(_ input: [Float], threads: Int) -> [Float] {
        let side = ModelInput.side
        let outSide = Self.stemSide
        let plane = outSide * outSide
        let geometry = DepthwiseGeometry(height: side, width: side, kernel: 3, stride: 2)
        var columns = Self.makeBuffer(27 * plane)
        input.withUnsafeBufferPointer { src in
            columns.withUnsafeMutableBufferPointer { cols in
                for c in 0..<3 {
                    for ky in 0..<3 {
                        for kx in 0..<3 {
                            let row = (c * 9 + ky * 3 + kx) * plane
                            for y in 0..<outSide {
                                let iy = 2 * y + ky - geometry.padTop
                                let dst = row + y * outSide
                                guard iy >= 0, iy < side else {
                                    for x in 0..<outSide { cols[dst + x] = 0 }
                                    continue
                                }
                                let srcRow = c * side * side + iy * side
                                for x in 0..<outSide {
                                    let ix = 2 * x + kx - geometry.padLeft
                                    cols[dst + x] = (ix >= 0 && ix < side) ? src[srcRow + ix] : 0
                                }
                            }
                        }
                    }
                }
            }
        }
        var output = Self.makeBuffer(Self.stemChannels * plane)
        columns.withUnsafeBufferPointer { cols in
            stemWeights.withUnsafeBufferPointer { w in
                stemBias.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { out in
                        guard let cols = cols.baseAddress, let w = w.baseAddress, let b = b.baseAddress, let out = out.baseAddress else { return }
                        // out (HW × 32) = colsᵀ (HW × 27) · Wᵀ (27 × 32)
                        Kernels.multiply(cols, transposeA: true, lda: plane, w, transposeB: true, ldb: 27, out, m: plane, n: Self.stemChannels, k: 27)
                        let shared = SharedPointer(base: out)
                        Kernels.parallelFor(plane, threads: threads, work: Self.stemChannels * plane) { range in
                            Kernels.addBiasReLU6ChannelsLast(shared.base, bias: b, channels: Self.stemChannels, pixels: range)
                        }
                    }
                }
            }
        }
        return output
    }

    /// One MBConv block, channels-last throughout (pixels × channels). Returns the block output plus the expand
    /// and depthwise ReLU6 outputs (kept for the backward pass).
    func blockForward(_ block: MBConvBlock, input: [Float], threads: Int) -> (output: [Float], expanded: [Float], depthwise: [Float]) {
        let g = block.depthwise.geometry
        let hidden = block.hiddenChannels
        var expanded: [Float]
        if let expand = block.expand {
            expanded = Self.makeBuffer(hidden * g.inputPlane)
            input.withUnsafeBufferPointer { x in
                expand.weights.withUnsafeBufferPointer { w in
                    expand.bias.withUnsafeBufferPointer { b in
                        expanded.withUnsafeMutableBufferPointer { e in
                            guard let x = x.baseAddress, let w = w.baseAddress, let b = b.baseAddress, let e = e.baseAddress else { return }
                            Kernels.multiplyByTransposedWeights(x, w, e, pixels: g.inputPlane, inChannels: expand.inChannels, outChannels: hidden)
                            let shared = SharedPointer(base: e)
                            Kernels.parallelFor(g.inputPlane, threads: threads, work: hidden * g.inputPlane) { range in
                                Kernels.addBiasReLU6ChannelsLast(shared.base, bias: b, channels: hidden, pixels: range)
                            }
                        }
                    }
                }
            }
        } else {
            expanded = input
        }
        var depthwise = Self.makeBuffer(hidden * g.outputPlane)
        expanded.withUnsafeBufferPointer { e in
            depthwise.withUnsafeMutableBufferPointer { d in
                block.depthwise.tapMajorWeights.withUnsafeBufferPointer { w in
                    block.depthwise.bias.withUnsafeBufferPointer { b in
                        guard let e = e.baseAddress, let d = d.baseAddress, let w = w.baseAddress, let b = b.baseAddress else { return }
                        let output = SharedPointer(base: d)
                        Kernels.parallelFor(g.outHeight, threads: threads, work: hidden * g.outputPlane * g.kernel * g.kernel) { rows in
                            Kernels.depthwiseChannelsLast(
                                input: e, output: output.base, weights: w, bias: b, channels: hidden, geometry: g, rows: rows
                            )
                        }
                    }
                }
            }
        }
        let project = block.project
        var output = Self.makeBuffer(project.outChannels * g.outputPlane)
        depthwise.withUnsafeBufferPointer { d in
            project.weights.withUnsafeBufferPointer { w in
                project.bias.withUnsafeBufferPointer { b in
                    input.withUnsafeBufferPointer { x in
                        output.withUnsafeMutableBufferPointer { out in
                            guard let d = d.baseAddress, let w = w.baseAddress, let b = b.baseAddress, let out = out.baseAddress else { return }
                            Kernels.multiplyByTransposedWeights(d, w, out, pixels: g.outputPlane, inChannels: hidden, outChannels: project.outChannels)
                            Kernels.addBiasChannelsLast(
                                out, bias: b, residual: block.isResidual ? x.baseAddress : nil,
                                channels: project.outChannels, pixels: g.outputPlane
                            )
                        }
                    }
                }
            }
        }
        return (output, expanded, depthwise)
    }

    /// Channels-last (pixels × channels) → C×H×W.
    static func channelsFirst(_ values: [Float], channels: Int, pixels: Int) -> [Float] {
        var result = makeBuffer(channels * pixels)
        guard values.count == channels * pixels else { return values }
        values.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { dst in
                for p in 0..<pixels {
                    for c in 0..<channels { dst[c * pixels + p] = src[p * channels + c] }
                }
            }
        }
        return result
    }
}
