/// A dense float32 tensor in C (row-major) order: `values.count` is the product of `shape`.
public struct FloatTensor: Sendable, Equatable {
    /// The extent of each dimension, outermost first.
    public var shape: [Int]
    /// The elements, row-major.
    public var values: [Float]

    /// Creates a tensor; throws `.invalidInput` if `values.count` is not the product of `shape`.
    public init(shape: [Int], values: [Float]) throws(VisionModelError) {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw VisionModelError(.invalidInput, "tensor of shape \(shape) cannot hold \(values.count) values")
        }
        self.shape = shape
        self.values = values
    }

    init(uncheckedShape shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    /// Number of elements.
    public var count: Int { values.count }
}
