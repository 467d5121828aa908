import Foundation

/// The result of one forward pass: the logits plus the activations Grad-CAM needs.
public struct Inference: Sendable {
    /// The 1000 raw logits (pre-softmax), in ImageNet class order.
    public let logits: [Float]
    /// The head activation A (1280 × 7 × 7): head conv + BN + ReLU6, before pooling.
    public let head: FloatTensor
    /// The output of block 10 (112 × 14 × 14), after its residual add: the `stage5` Grad-CAM layer.
    public let stage5: FloatTensor
    /// The stem output (32 × 112 × 112), only when the pass was run with `recordActivations`.
    public let stem: FloatTensor?
    /// Every block's output (16 tensors), only when the pass was run with `recordActivations`; empty otherwise.
    public let blockOutputs: [FloatTensor]
    /// The head activation channels-last (49 × 1280), for the backward pass.
    let headChannelsLast: [Float]
    /// ReLU6 outputs of blocks 11…15 (expand, depthwise; channels-last), kept for the stage5 backward pass.
    let trace: [BlockTrace]

    /// The ReLU6 outputs inside one block, which give the ReLU6 derivative masks of the backward pass.
    struct BlockTrace: Sendable {
        let expanded: [Float]
        let depthwise: [Float]
    }

    /// softmax(logits), computed in double precision.
    public var probabilities: [Double] {
        guard let top = logits.max() else { return [] }
        let exps = logits.map { exp(Double($0 - top)) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }

    /// The `count` most probable classes, best first (ties keep the lower index first).
    public func topClasses(_ count: Int) -> [ClassPrediction] {
        let probabilities = self.probabilities
        let order = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        return order.prefix(max(0, count)).map {
            ClassPrediction(index: $0, name: ImageNetClasses.name(of: $0) ?? "class \($0)", logit: logits[$0], probability: probabilities[$0])
        }
    }
}
