/// A binary region mask over a `width × height` image, row-major: `bits[y * width + x]` is 1 inside, 0 outside.
public struct Mask: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var bits: [UInt8]

    public init(width: Int, height: Int, bits: [UInt8]) {
        precondition(bits.count == width * height, "Mask: size mismatch")
        self.width = width
        self.height = height
        self.bits = bits
    }

    /// An empty (all-outside) mask.
    public init(width: Int, height: Int) {
        self.init(width: width, height: height, bits: [UInt8](repeating: 0, count: width * height))
    }

    /// Number of pixels inside.
    public var count: Int { bits.reduce(0) { $0 + Int($1) } }
}
