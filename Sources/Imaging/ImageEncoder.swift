/// Encodes images for overlays, heatmap previews (PNG) and display-size derivatives (JPEG).
///
/// The encoders never throw: they return `[]` only when the input is inconsistent (pixel count not matching the
/// size, or a size of 0) or when the codec runs out of memory.
public enum ImageEncoder {
    /// A lossless 8-bit RGB PNG (zlib level 6, adaptive filters).
    public static func png(_ image: RGBImage) -> [UInt8] {
        image.pixels.withUnsafeBufferPointer {
            PNGCodec.encode(pixels: $0, width: image.width, height: image.height, channels: 3)
        }
    }

    /// A lossless 8-bit grayscale PNG of `width × height` bytes (row-major).
    public static func pngGray(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        pixels.withUnsafeBufferPointer {
            PNGCodec.encode(pixels: $0, width: width, height: height, channels: 1)
        }
    }

    /// A baseline JPEG (4:2:0 chroma subsampling, optimised Huffman tables); `quality` is clamped to 1…100.
    public static func jpeg(_ image: RGBImage, quality: Int = 85) -> [UInt8] {
        JPEGCodec.encode(image, quality: min(100, max(1, quality)))
    }
}
