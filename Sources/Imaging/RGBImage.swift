/// An 8-bit RGB image in display orientation: `pixels` holds `width * height * 3` bytes, row-major, R G B.
public struct RGBImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "RGBImage: size mismatch")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// `width × height × channels`, or `nil` when a side is not positive or the product overflows.
    static func byteCount(width: Int, height: Int, channels: Int) -> Int? {
        guard width > 0, height > 0 else { return nil }
        let (area, o1) = width.multipliedReportingOverflow(by: height)
        let (bytes, o2) = area.multipliedReportingOverflow(by: channels)
        return o1 || o2 ? nil : bytes
    }

    /// Whether `pixels` holds exactly `width * height * 3` bytes (always true unless the fields were mutated).
    var isConsistent: Bool { Self.byteCount(width: width, height: height, channels: 3) == pixels.count }
}
