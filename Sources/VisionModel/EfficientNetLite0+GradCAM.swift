extension EfficientNetLite0 {
    /// Grad-CAM for class `classIndex` at `layer`, from a finished forward pass (ARCHITECTURE.md §3):
    /// `G = ∂logit_c/∂A`, `α_k = mean(G_k)`, `CAM = max(0, Σ_k α_k A_k)`.
    ///
    /// Throws `.unknownClass` if `classIndex` is outside 0…999.
    public func gradCAM(
        _ inference: Inference, classIndex: Int, layer: GradCAMLayer, threads: Int = 1
    ) throws(VisionModelError) -> GradCAMMap {
        guard (0..<Self.classCount).contains(classIndex) else {
            throw VisionModelError(.unknownClass, "class index \(classIndex) is outside 0…\(Self.classCount - 1)")
        }
        let alpha: [Float]
        let activation: FloatTensor
        switch layer {
        case .head:
            let plane = Float(Self.headSide * Self.headSide)
            alpha = classifierRow(classIndex).map { $0 / plane }
            activation = inference.head
        case .stage5:
            Kernels.setBLASThreads(threads)
            let gradient = stage5Gradient(inference, classIndex: classIndex)
            let plane = Self.stage5Side * Self.stage5Side
            var mean = [Float](repeating: 0, count: Self.stage5Channels)
            for p in 0..<plane {
                for k in 0..<Self.stage5Channels { mean[k] += gradient[p * Self.stage5Channels + k] }
            }
            for k in 0..<Self.stage5Channels { mean[k] /= Float(plane) }
            alpha = mean
            activation = inference.stage5
        }
        let side = layer.side
        let plane = side * side
        var cam = [Float](repeating: 0, count: plane)
        activation.values.withUnsafeBufferPointer { a in
            alpha.withUnsafeBufferPointer { w in
                cam.withUnsafeMutableBufferPointer { out in
                    guard let a = a.baseAddress, let w = w.baseAddress, let out = out.baseAddress else { return }
                    // CAM = Aᵀ · α over channels (A is K × plane).
                    Kernels.multiplyVector(a, w, out, rows: layer.channels, columns: plane, transpose: true)
                }
            }
        }
        for i in 0..<plane { cam[i] = max(cam[i], 0) }
        return GradCAMMap(classIndex: classIndex, layer: layer, width: side, height: side, values: cam, alpha: alpha)
    }

    /// ∂logit_c / ∂(block 10 output), channels-last (196 × 112), by the manual backward pass through the head and
    /// blocks 15…11. BN scales are folded into the weights, so each 1×1 transpose already includes them; with
    /// channels-last gradients every transpose is a plain `G · W` (W stored O×I).
    func stage5Gradient(_ inference: Inference, classIndex: Int) -> [Float] {
        let headPlane = Self.headSide * Self.headSide
        // Start: G_A = fc.weight[c] / 49 at every position, × ReLU6'(head pre-activation).
        var gradA = [Float](repeating: 0, count: Self.headChannels * headPlane)
        let row = Array(classifierRow(classIndex))
        for p in 0..<headPlane {
            for k in 0..<Self.headChannels { gradA[p * Self.headChannels + k] = row[k] / Float(headPlane) }
        }
        inference.headChannelsLast.withUnsafeBufferPointer { a in
            gradA.withUnsafeMutableBufferPointer { g in
                guard let a = a.baseAddress, let g = g.baseAddress else { return }
                Kernels.maskReLU6Gradient(g, activation: a, count: Self.headChannels * headPlane)
            }
        }
        var gradient = Self.backwardThrough(headLayer, gradA, pixels: headPlane)
        for (offset, block) in blocks.enumerated().reversed() where offset > Self.stage5Block {
            gradient = blockBackward(block, trace: inference.trace[offset - Self.stage5Block - 1], gradOut: gradient)
        }
        return gradient
    }

    /// Gradient through a 1×1 layer on channels-last data: `g (pixels × O) · W (O × I)` → pixels × I.
    static func backwardThrough(_ layer: PointwiseLayer, _ g: [Float], pixels: Int) -> [Float] {
        var result = makeBuffer(layer.inChannels * pixels)
        layer.weights.withUnsafeBufferPointer { w in
            g.withUnsafeBufferPointer { g in
                result.withUnsafeMutableBufferPointer { out in
                    guard let w = w.baseAddress, let g = g.baseAddress, let out = out.baseAddress else { return }
                    Kernels.multiply(
                        g, transposeA: false, lda: layer.outChannels, w, transposeB: false, ldb: layer.inChannels,
                        out, m: pixels, n: layer.inChannels, k: layer.outChannels
                    )
                }
            }
        }
        return result
    }

    /// Backward through one block: project transpose, ReLU6' of the depthwise output, depthwise transpose,
    /// ReLU6' of the expand output, expand transpose, plus the pass-through of a residual block.
    func blockBackward(_ block: MBConvBlock, trace: Inference.BlockTrace, gradOut: [Float]) -> [Float] {
        let g = block.depthwise.geometry
        let hidden = block.hiddenChannels
        var gradDepthwise = Self.backwardThrough(block.project, gradOut, pixels: g.outputPlane)
        var gradExpanded = Self.makeBuffer(hidden * g.inputPlane)
        gradDepthwise.withUnsafeMutableBufferPointer { gd in
            trace.depthwise.withUnsafeBufferPointer { d in
                trace.expanded.withUnsafeBufferPointer { e in
                    gradExpanded.withUnsafeMutableBufferPointer { ge in
                        block.depthwise.tapMajorWeights.withUnsafeBufferPointer { w in
                            guard let gd = gd.baseAddress, let d = d.baseAddress, let e = e.baseAddress,
                                let ge = ge.baseAddress, let w = w.baseAddress
                            else { return }
                            Kernels.maskReLU6Gradient(gd, activation: d, count: hidden * g.outputPlane)
                            Kernels.depthwiseChannelsLastBackward(gradOut: gd, gradIn: ge, weights: w, channels: hidden, geometry: g)
                            if block.expand != nil {
                                Kernels.maskReLU6Gradient(ge, activation: e, count: hidden * g.inputPlane)
                            }
                        }
                    }
                }
            }
        }
        guard let expand = block.expand else { return gradExpanded }
        var gradIn = Self.backwardThrough(expand, gradExpanded, pixels: g.inputPlane)
        if block.isResidual {
            for i in 0..<gradIn.count { gradIn[i] += gradOut[i] }
        }
        return gradIn
    }
}
