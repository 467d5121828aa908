import _CImageCodecs

/// The only Swift file that talks to libjpeg (through the `_CImageCodecs` shim).
enum JPEGCodec {
    /// Rows decoded per call when the pixels can't go straight into the output (orientation ≠ 1 or CMYK).
    private static let stripRows = 32

    private struct Header {
        var info: ImageInfo
        var cmyk: Bool
    }

    /// Reads and validates the header; `decoder` must come from `sl_jpeg_create`.
    private static func readHeader(_ decoder: OpaquePointer) throws(EngineError) -> Header {
        var header = sl_jpeg_header()
        guard sl_jpeg_read_header(decoder, &header) == Int32(SL_OK) else {
            throw failure(decoder, "JPEG header")
        }
        if header.arithmetic != 0 {
            throw EngineError(.unreadableImage, "unsupported JPEG: arithmetic coding")
        }
        if header.precision != 8 {
            throw EngineError(.unreadableImage, "unsupported JPEG: \(header.precision)-bit samples")
        }
        guard header.color_model != Int32(SL_JPEG_OTHER) else {
            throw EngineError(.unreadableImage, "unsupported JPEG colour space (\(header.components) components)")
        }
        guard header.width > 0, header.height > 0 else {
            throw EngineError(.unreadableImage, "JPEG declares an empty image")
        }
        var exifLength = 0
        var orientation = 1
        if let exif = sl_jpeg_exif(decoder, &exifLength), exifLength > 0 {
            orientation = ExifOrientation.read(UnsafeBufferPointer(start: exif, count: exifLength))
        }
        let info = ImageInfo(
            format: .jpeg, storedWidth: Int(header.width), storedHeight: Int(header.height), orientation: orientation)
        return Header(info: info, cmyk: header.color_model == Int32(SL_JPEG_CMYK))
    }

    private static func failure(_ decoder: OpaquePointer, _ stage: String) -> EngineError {
        let message = String(cString: sl_jpeg_message(decoder))
        return EngineError(.unreadableImage, "corrupt or unsupported JPEG (\(stage)): \(message)")
    }

    private static func makeDecoder(_ bytes: UnsafeBufferPointer<UInt8>) throws(EngineError) -> OpaquePointer {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw EngineError(.unreadableImage, "empty JPEG data")
        }
        guard let decoder = sl_jpeg_create(base, bytes.count) else {
            throw EngineError(.unreadableImage, "out of memory creating a JPEG decoder")
        }
        return decoder
    }

    static func probe(_ bytes: UnsafeBufferPointer<UInt8>) throws(EngineError) -> ImageInfo {
        let decoder = try makeDecoder(bytes)
        defer { sl_jpeg_destroy(decoder) }
        return try readHeader(decoder).info
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, limits: ImageLimits) throws(EngineError) -> RGBImage {
        let decoder = try makeDecoder(bytes)
        defer { sl_jpeg_destroy(decoder) }
        let header = try readHeader(decoder)
        let info = header.info
        try ImageDecoder.checkLimits(width: info.storedWidth, height: info.storedHeight, limits: limits)

        var components: Int32 = 0
        guard sl_jpeg_start(decoder, header.cmyk ? 1 : 0, &components) == Int32(SL_OK) else {
            throw failure(decoder, "start")
        }
        let expected: Int32 = header.cmyk ? 4 : 3
        guard components == expected else {
            throw EngineError(.unreadableImage, "unexpected JPEG output (\(components) components)")
        }
        let w = info.storedWidth, h = info.storedHeight
        let transform = OrientationTransform(orientation: info.orientation, storedWidth: w, storedHeight: h)
        var error: EngineError?
        let pixels = [UInt8](unsafeUninitializedCapacity: w * h * 3) { buffer, initialized in
            initialized = 0
            guard let out = buffer.baseAddress else { return }
            if transform.isIdentity && !header.cmyk {
                var rows: UInt32 = 0
                if sl_jpeg_read_rows(decoder, out, w * 3, UInt32(h), &rows) != Int32(SL_OK) || Int(rows) != h {
                    error = failure(decoder, "scanlines")
                    return
                }
            } else {
                let stride = w * Int(components)
                let strip = UnsafeMutablePointer<UInt8>.allocate(capacity: stride * stripRows)
                defer { strip.deallocate() }
                var y = 0
                while y < h {
                    var rows: UInt32 = 0
                    let want = min(stripRows, h - y)
                    if sl_jpeg_read_rows(decoder, strip, stride, UInt32(want), &rows) != Int32(SL_OK)
                        || Int(rows) != want
                    {
                        error = failure(decoder, "scanlines")
                        return
                    }
                    transform.scatter(
                        rows: strip, sourceStride: stride, components: Int(components), firstRow: y, rowCount: want,
                        into: out)
                    y += want
                }
            }
            initialized = w * h * 3
        }
        if let error { throw error }
        return RGBImage(width: transform.displayWidth, height: transform.displayHeight, pixels: pixels)
    }

    /// Baseline JFIF (4:2:0, optimised Huffman tables). Returns `[]` only if libjpeg fails (out of memory).
    static func encode(_ image: RGBImage, quality: Int) -> [UInt8] {
        guard image.isConsistent, UInt32(exactly: image.width) != nil, UInt32(exactly: image.height) != nil else {
            return []
        }
        return image.pixels.withUnsafeBufferPointer { pixels -> [UInt8] in
            guard let base = pixels.baseAddress else { return [] }
            var out: UnsafeMutablePointer<UInt8>?
            var length = 0
            let status = sl_jpeg_encode_rgb(
                base, UInt32(image.width), UInt32(image.height), image.width * 3, Int32(quality), &out, &length,
                nil, 0)
            defer { sl_codecs_free(out) }
            guard status == Int32(SL_OK), let out else { return [] }
            return Array(UnsafeBufferPointer(start: out, count: length))
        }
    }
}
