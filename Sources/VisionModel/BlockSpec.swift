/// One row of the EfficientNet-Lite0 block table (ARCHITECTURE.md §2.2).
struct BlockSpec: Sendable, Equatable {
    let expandRatio: Int
    let kernel: Int
    let stride: Int
    let inChannels: Int
    let outChannels: Int
    let inputSide: Int

    var hiddenChannels: Int { inChannels * expandRatio }
    var isResidual: Bool { stride == 1 && inChannels == outChannels }
    var outputSide: Int { (inputSide + stride - 1) / stride }

    /// The 16 blocks, from the stage table (expand, k, stride, out, repeats): only a stage's first block has its
    /// stride; Cin of a stage's first block is the previous stage's Cout (32 for block 0).
    static let efficientNetLite0: [BlockSpec] = {
        let stages: [(expand: Int, kernel: Int, stride: Int, out: Int, repeats: Int)] = [
            (1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3),
            (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1),
        ]
        var specs: [BlockSpec] = []
        var channels = 32
        var side = 112
        for stage in stages {
            for r in 0..<stage.repeats {
                let stride = r == 0 ? stage.stride : 1
                let spec = BlockSpec(
                    expandRatio: stage.expand, kernel: stage.kernel, stride: stride,
                    inChannels: channels, outChannels: stage.out, inputSide: side
                )
                specs.append(spec)
                channels = stage.out
                side = spec.outputSide
            }
        }
        return specs
    }()
}
