/// Where Grad-CAM is taken (ARCHITECTURE.md §3).
public enum GradCAMLayer: String, Sendable, CaseIterable, Codable {
    /// The 1280×7×7 head activation (head conv + BN + ReLU6); α = `_fc.weight[c] / 49`, no backward pass.
    case head
    /// The 112×14×14 output of block 10; α from the backward pass through the head and blocks 15…11.
    case stage5

    /// Side of the map (7 for `head`, 14 for `stage5`).
    public var side: Int {
        switch self {
        case .head: EfficientNetLite0.headSide
        case .stage5: EfficientNetLite0.stage5Side
        }
    }

    /// Number of channels (length of α).
    public var channels: Int {
        switch self {
        case .head: EfficientNetLite0.headChannels
        case .stage5: EfficientNetLite0.stage5Channels
        }
    }
}
