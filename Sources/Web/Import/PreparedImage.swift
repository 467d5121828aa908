import Engine

/// The result of decoding one upload once: format, display-orientation size, and the encoded display copy and
/// thumbnail (JPEG).
public struct PreparedImage: Sendable {
    public var format: ImageFormat
    /// Display-orientation size of the original (EXIF applied).
    public var width: Int
    public var height: Int
    public var displayJPEG: [UInt8]
    public var displayWidth: Int
    public var displayHeight: Int
    public var thumbnailJPEG: [UInt8]

    /// Longest side of the display copy.
    public static let displayMaxSide = 2048
    /// Longest side of the thumbnail.
    public static let thumbnailMaxSide = 256

    /// Decodes `bytes` once with the engine (format from the content, size limits checked from the header before
    /// any pixel is decoded, EXIF orientation applied) and encodes the display copy and thumbnail. CPU-heavy: call
    /// it off the event loop (`WorkLimiter.run`).
    public static func prepareImage(_ bytes: [UInt8], limits: ImageLimits = .standard) throws(EngineError)
        -> PreparedImage
    {
        guard let format = ImageFormat.detect(bytes) else {
            // Let the decoder word the error (it names what the bytes look like).
            _ = try ImageDecoder.decode(bytes, limits: limits)
            throw EngineError(.unreadableImage, "not a JPEG or PNG file")
        }
        let decoded = try ImageDecoder.decode(bytes, limits: limits)
        let display = ImageResampler.downscale(decoded, maxSide: displayMaxSide)
        let thumbnail = ImageResampler.downscale(display, maxSide: thumbnailMaxSide)
        return PreparedImage(
            format: format, width: decoded.width, height: decoded.height,
            displayJPEG: ImageEncoder.jpeg(display, quality: 88), displayWidth: display.width,
            displayHeight: display.height, thumbnailJPEG: ImageEncoder.jpeg(thumbnail, quality: 80))
    }
}
