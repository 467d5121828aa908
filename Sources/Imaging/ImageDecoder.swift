/// Decodes JPEG and PNG files into 8-bit RGB in display orientation, and PNG heatmaps into values.
///
/// The format is detected from the content. Every corrupt, truncated or unsupported input throws an
/// `EngineError` (`.unreadableImage`, `.imageTooLarge`, `.unsupportedHeatmap`, `.heatmapTooLarge`); size limits
/// are checked from the header before any pixel is decoded. Never crashes on bad bytes.
public enum ImageDecoder {
    /// Reads only the header: format, stored size, EXIF orientation, display size.
    ///
    /// Throws `.unreadableImage` for anything that is not a readable JPEG/PNG header (including JPEG processes the
    /// engine does not support: arithmetic coding, 12-bit, lossless) and `.imageTooLarge` when the declared size
    /// exceeds `limits`.
    public static func probe(_ bytes: [UInt8], limits: ImageLimits = .standard) throws(EngineError) -> ImageInfo {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<ImageInfo, EngineError> in
            do throws(EngineError) {
                let info: ImageInfo
                switch ImageFormat.detect(buffer) {
                case .jpeg: info = try JPEGCodec.probe(buffer)
                case .png: info = try PNGCodec.probe(buffer)
                case nil: throw unrecognised(buffer)
                }
                try checkLimits(width: info.storedWidth, height: info.storedHeight, limits: limits)
                return .success(info)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `probe` for a file; a path that can't be read (missing, a directory) is `.unreadableImage`.
    public static func probe(contentsOf path: String, limits: ImageLimits = .standard) throws(EngineError)
        -> ImageInfo
    {
        try probe(readFile(path), limits: limits)
    }

    /// Decodes a JPEG or PNG into 8-bit RGB with the EXIF orientation applied (the result is in display
    /// orientation, `width × height` = `ImageInfo.displayWidth × displayHeight`).
    public static func decode(_ bytes: [UInt8], limits: ImageLimits = .standard) throws(EngineError) -> RGBImage {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<RGBImage, EngineError> in
            do throws(EngineError) {
                switch ImageFormat.detect(buffer) {
                case .jpeg: return .success(try JPEGCodec.decode(buffer, limits: limits))
                case .png: return .success(try PNGCodec.decode(buffer, limits: limits))
                case nil: throw unrecognised(buffer)
                }
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `decode` for a file; a path that can't be read (missing, a directory) is `.unreadableImage`.
    public static func decode(contentsOf path: String, limits: ImageLimits = .standard) throws(EngineError)
        -> RGBImage
    {
        try decode(readFile(path), limits: limits)
    }

    /// Reads an 8- or 16-bit grayscale PNG heatmap as values `v / 255` or `v / 65535` (scoring.md §3).
    ///
    /// A colour, palette or alpha PNG, another bit depth, a non-PNG or corrupt data is `.unsupportedHeatmap`;
    /// more than `maxValues` samples (from IHDR, before any data is decoded) is `.heatmapTooLarge`.
    public static func decodeGrayHeatmapPNG(_ bytes: [UInt8], maxValues: Int) throws(EngineError) -> GrayPNG {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<GrayPNG, EngineError> in
            do throws(EngineError) {
                return .success(try PNGCodec.decodeGray(buffer, maxValues: maxValues))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Throws `.imageTooLarge` when a declared size exceeds the limits.
    static func checkLimits(width: Int, height: Int, limits: ImageLimits) throws(EngineError) {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if width > limits.maxSide || height > limits.maxSide || overflow || pixels > limits.maxPixels {
            throw EngineError(
                .imageTooLarge,
                "image of \(width) x \(height) pixels exceeds the limits (\(limits.maxPixels) pixels, "
                    + "\(limits.maxSide) px a side)")
        }
    }

    private static func unrecognised(_ bytes: UnsafeBufferPointer<UInt8>) -> EngineError {
        if bytes.isEmpty { return EngineError(.unreadableImage, "empty file: not a JPEG or PNG image") }
        if bytes.count >= 4, bytes[0] == 0x47, bytes[1] == 0x49, bytes[2] == 0x46, bytes[3] == 0x38 {
            return EngineError(.unreadableImage, "GIF is not supported: images must be JPEG or PNG")
        }
        return EngineError(.unreadableImage, "not a JPEG or PNG image")
    }

    /// The bytes of a regular file, or `.unreadableImage`.
    static func readFile(_ path: String) throws(EngineError) -> [UInt8] {
        guard let bytes = FileBytes.contents(of: path) else {
            throw EngineError(.unreadableImage, "can't read image file \(path) (missing, not a regular file or unreadable)")
        }
        return bytes
    }
}
