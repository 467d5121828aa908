import _CImageCodecs

/// The only Swift file that talks to libpng (through the `_CImageCodecs` shim).
enum PNGCodec {
    private static func makeDecoder(_ bytes: UnsafeBufferPointer<UInt8>, code: EngineErrorCode) throws(EngineError)
        -> OpaquePointer
    {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw EngineError(code, "empty PNG data")
        }
        guard let decoder = sl_png_create(base, bytes.count) else {
            throw EngineError(code, "out of memory creating a PNG decoder")
        }
        return decoder
    }

    private static func failure(_ decoder: OpaquePointer, _ stage: String, code: EngineErrorCode) -> EngineError {
        let message = String(cString: sl_png_message(decoder))
        return EngineError(code, "corrupt or unsupported PNG (\(stage)): \(message)")
    }

    private static func readHeader(_ decoder: OpaquePointer, code: EngineErrorCode) throws(EngineError)
        -> sl_png_header
    {
        var header = sl_png_header()
        guard sl_png_read_header(decoder, &header) == Int32(SL_OK) else {
            throw failure(decoder, "header", code: code)
        }
        guard header.width > 0, header.height > 0 else {
            throw EngineError(code, "PNG declares an empty image")
        }
        return header
    }

    static func probe(_ bytes: UnsafeBufferPointer<UInt8>) throws(EngineError) -> ImageInfo {
        let decoder = try makeDecoder(bytes, code: .unreadableImage)
        defer { sl_png_destroy(decoder) }
        let header = try readHeader(decoder, code: .unreadableImage)
        return ImageInfo(
            format: .png, storedWidth: Int(header.width), storedHeight: Int(header.height),
            orientation: exifOrientation(bytes))
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, limits: ImageLimits) throws(EngineError) -> RGBImage {
        let decoder = try makeDecoder(bytes, code: .unreadableImage)
        defer { sl_png_destroy(decoder) }
        let header = try readHeader(decoder, code: .unreadableImage)
        let w = Int(header.width), h = Int(header.height)
        try ImageDecoder.checkLimits(width: w, height: h, limits: limits)
        let transform = OrientationTransform(
            orientation: exifOrientation(bytes), storedWidth: w, storedHeight: h)
        var error: EngineError?
        let pixels: [UInt8]
        if transform.isIdentity {
            pixels = [UInt8](unsafeUninitializedCapacity: w * h * 3) { buffer, initialized in
                initialized = 0
                guard let out = buffer.baseAddress else { return }
                guard sl_png_decode_rgb8(decoder, out, w * 3) == Int32(SL_OK) else {
                    error = failure(decoder, "image data", code: .unreadableImage)
                    return
                }
                initialized = w * h * 3
            }
        } else {
            let stored = UnsafeMutablePointer<UInt8>.allocate(capacity: w * h * 3)
            defer { stored.deallocate() }
            if sl_png_decode_rgb8(decoder, stored, w * 3) != Int32(SL_OK) {
                throw failure(decoder, "image data", code: .unreadableImage)
            }
            pixels = [UInt8](unsafeUninitializedCapacity: w * h * 3) { buffer, initialized in
                initialized = 0
                guard let out = buffer.baseAddress else { return }
                transform.scatter(
                    rows: stored, sourceStride: w * 3, components: 3, firstRow: 0, rowCount: h, into: out)
                initialized = w * h * 3
            }
        }
        if let error { throw error }
        return RGBImage(width: transform.displayWidth, height: transform.displayHeight, pixels: pixels)
    }

    static func decodeGray(_ bytes: UnsafeBufferPointer<UInt8>, maxValues: Int) throws(EngineError) -> GrayPNG {
        guard ImageFormat.detect(bytes) == .png else {
            throw EngineError(.unsupportedHeatmap, "not a PNG file")
        }
        let decoder = try makeDecoder(bytes, code: .unsupportedHeatmap)
        defer { sl_png_destroy(decoder) }
        let header = try readHeader(decoder, code: .unsupportedHeatmap)
        guard header.color_type == 0 else {
            throw EngineError(
                .unsupportedHeatmap,
                "PNG heatmap must be grayscale without alpha (colour type \(header.color_type) can't be read as values)")
        }
        guard header.bit_depth == 8 || header.bit_depth == 16 else {
            throw EngineError(.unsupportedHeatmap, "PNG heatmap must be 8- or 16-bit (found \(header.bit_depth)-bit)")
        }
        let w = Int(header.width), h = Int(header.height)
        let (count, overflow) = w.multipliedReportingOverflow(by: h)
        guard !overflow, count <= maxValues else {
            throw EngineError(.heatmapTooLarge, "PNG heatmap of \(w) x \(h) values exceeds the limit of \(maxValues)")
        }
        let bytesPerSample = Int(header.bit_depth) / 8
        let raw = UnsafeMutablePointer<UInt8>.allocate(capacity: count * bytesPerSample)
        defer { raw.deallocate() }
        guard sl_png_decode_gray(decoder, raw, w * bytesPerSample) == Int32(SL_OK) else {
            throw failure(decoder, "image data", code: .unsupportedHeatmap)
        }
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if bytesPerSample == 1 {
                for i in 0..<count { buffer[i] = Float(raw[i]) / 255 }
            } else {
                for i in 0..<count { buffer[i] = Float(Int(raw[2 * i]) << 8 | Int(raw[2 * i + 1])) / 65535 }
            }
            initialized = count
        }
        return GrayPNG(width: w, height: h, bitDepth: Int(header.bit_depth), values: values)
    }

    /// Orientation from an `eXIf` chunk anywhere in the file (1 when none). Walks the chunk headers only.
    static func exifOrientation(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var offset = 8
        let count = bytes.count
        while offset + 12 <= count {
            let length =
                Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
            let type = (bytes[offset + 4], bytes[offset + 5], bytes[offset + 6], bytes[offset + 7])
            let dataStart = offset + 8
            guard length <= count - dataStart - 4 else { return 1 }
            if type == (0x65, 0x58, 0x49, 0x66) {  // "eXIf"
                return ExifOrientation.read(UnsafeBufferPointer(rebasing: bytes[dataStart..<dataStart + length]))
            }
            if type == (0x49, 0x45, 0x4E, 0x44) { return 1 }  // "IEND"
            offset = dataStart + length + 4
        }
        return 1
    }

    /// A non-interlaced 8-bit PNG of 1 (gray) or 3 (RGB) channels, zlib `level` 0…9. Returns `[]` if the input is
    /// inconsistent or libpng fails.
    static func encode(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int, level: Int)
        -> [UInt8]
    {
        guard let base = pixels.baseAddress, width > 0, height > 0, UInt32(exactly: width) != nil,
            UInt32(exactly: height) != nil, RGBImage.byteCount(width: width, height: height, channels: channels)
                == pixels.count
        else {
            return []
        }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = sl_png_encode(
            base, UInt32(width), UInt32(height), width * channels, Int32(channels), Int32(min(9, max(0, level))),
            &out, &length, nil, 0)
        defer { sl_codecs_free(out) }
        guard status == Int32(SL_OK), let out else { return [] }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }
}
