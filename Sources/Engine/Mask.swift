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

    /// Number of pixels inside (bits are 0 or 1).
    public var count: Int {
        bits.withUnsafeBufferPointer { buffer in
            var total = 0
            var index = 0
            let n = buffer.count
            // Sum bytes in blocks small enough that a UInt32 lane can't overflow.
            while index < n {
                let end = min(n, index + 1 << 20)
                var block: UInt32 = 0
                for i in index..<end { block &+= UInt32(buffer[i]) }
                total += Int(block)
                index = end
            }
            return total
        }
    }

    /// Whether no pixel is inside.
    public var isEmpty: Bool { !bits.contains(1) }
}
