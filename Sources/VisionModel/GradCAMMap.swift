/// A raw Grad-CAM map: `max(0, Σ_k α_k · A_k)` at the layer's resolution, no min-max and no resize.
public struct GradCAMMap: Sendable, Equatable {
    /// The target class.
    public let classIndex: Int
    /// The layer it was taken at.
    public let layer: GradCAMLayer
    /// Map width (= height): 7 or 14.
    public let width: Int
    /// Map height.
    public let height: Int
    /// The raw CAM, row-major, `width * height` values ≥ 0.
    public let values: [Float]
    /// The channel weights α (1280 or 112 values).
    public let alpha: [Float]

    public init(classIndex: Int, layer: GradCAMLayer, width: Int, height: Int, values: [Float], alpha: [Float]) {
        self.classIndex = classIndex
        self.layer = layer
        self.width = width
        self.height = height
        self.values = values
        self.alpha = alpha
    }

    /// The raw map as a NumPy v1.0 `.npy` file: `<f4`, C order, shape `(height, width)` (readable by `sightline score`).
    public func encodeNPY() -> [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(height), \(width)), }"
        // magic (6) + version (2) + length (2) + header + "\n" padded to a multiple of 64.
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let length = header.utf8.count
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes.reserveCapacity(10 + length + 4 * values.count)
        bytes += Array(header.utf8)
        for value in values {
            let bits = value.bitPattern.littleEndian
            bytes += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                      UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
        }
        return bytes
    }
}
