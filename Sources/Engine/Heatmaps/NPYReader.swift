/// Reader of NumPy `.npy` files (format versions 1.0, 2.0, 3.0) for heatmaps; never unpickles anything.
enum NPYReader {
    /// How many leading bytes of a file suffice to check a `.npy` header (larger headers are refused).
    static let headProbeBytes = 65_536 + 12

    /// The accepted element types (scoring.md §3).
    enum DType: String {
        case float16 = "<f2", float32 = "<f4", float64 = "<f8", uint8 = "|u1", uint16 = "<u2", int32 = "<i4"

        var size: Int {
            switch self {
            case .float16: 2
            case .float32: 4
            case .float64: 8
            case .uint8: 1
            case .uint16: 2
            case .int32: 4
            }
        }
    }

    /// A validated header: element type, order, 2-D size and where the data starts.
    struct Header {
        var dtype: DType
        var fortranOrder: Bool
        var height: Int
        var width: Int
        var dataOffset: Int
    }

    static func hasMagic(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 6 && bytes[0] == 0x93 && bytes[1] == 0x4E && bytes[2] == 0x55 && bytes[3] == 0x4D
            && bytes[4] == 0x50 && bytes[5] == 0x59
    }

    private static func unsupported(_ message: String) -> EngineError {
        EngineError(.unsupportedHeatmap, "npy: \(message)")
    }

    /// Parses and validates the header. `complete` says whether `bytes` is the whole file (then the data length is
    /// checked too).
    static func parseHeader(_ bytes: [UInt8], maxValues: Int, complete: Bool) throws(EngineError) -> Header {
        guard bytes.count >= 10 else { throw unsupported("truncated header") }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw unsupported("truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw unsupported("format version \(major).\(bytes[7]) is not supported")
        }
        guard headerLength <= headProbeBytes - headerStart, headerStart + headerLength <= bytes.count else {
            throw unsupported("truncated or oversized header")
        }
        var parser = NPYHeaderParser(bytes: bytes, start: headerStart, end: headerStart + headerLength)
        let dictionary = try parser.parseDictionary()
        guard case .string(let descr)? = dictionary["descr"] else {
            if dictionary["descr"] != nil { throw unsupported("structured dtypes are not supported") }
            throw unsupported("header has no 'descr'")
        }
        if descr.contains("O") {
            throw unsupported("object arrays (pickles) are not loaded")
        }
        guard let dtype = DType(rawValue: descr) else {
            throw unsupported("dtype \(descr) is not one of <f2 <f4 <f8 |u1 <u2 <i4")
        }
        guard case .bool(let fortranOrder)? = dictionary["fortran_order"] else {
            throw unsupported("header has no 'fortran_order'")
        }
        guard case .tuple(let shape)? = dictionary["shape"] else { throw unsupported("header has no 'shape'") }
        let height: Int
        let width: Int
        switch shape.count {
        case 2:
            (height, width) = (shape[0], shape[1])
        case 3 where shape[0] == 1:
            (height, width) = (shape[1], shape[2])
        case 3 where shape[2] == 1:
            (height, width) = (shape[0], shape[1])
        default:
            throw unsupported("shape \(shape) is not (h, w), (1, h, w) or (h, w, 1)")
        }
        guard height > 0, width > 0 else { throw unsupported("empty shape \(shape)") }
        let (count, overflow) = height.multipliedReportingOverflow(by: width)
        guard !overflow, count <= maxValues else {
            throw EngineError(.heatmapTooLarge, "npy: shape \(shape) has more than \(maxValues) values")
        }
        let dataOffset = headerStart + headerLength
        if complete, bytes.count - dataOffset < count * dtype.size {
            throw unsupported("truncated data (\(bytes.count - dataOffset) bytes, \(count * dtype.size) needed)")
        }
        return Header(dtype: dtype, fortranOrder: fortranOrder, height: height, width: width, dataOffset: dataOffset)
    }

    /// Reads a whole `.npy` file.
    static func read(_ bytes: [UInt8], maxValues: Int) throws(EngineError) -> FloatMap {
        let header = try parseHeader(bytes, maxValues: maxValues, complete: true)
        let count = header.width * header.height
        var values = [Float](repeating: 0, count: count)
        let finite: Bool = bytes.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                convert(raw.baseAddress! + header.dataOffset, header.dtype, count, out.baseAddress!)
            }
        }
        guard finite else { throw EngineError(.nonFiniteHeatmap, "npy: the heatmap holds NaN or infinite values") }
        if header.fortranOrder, header.width > 1, header.height > 1 {
            values = transposeColumnMajor(values, width: header.width, height: header.height)
        }
        return FloatMap(width: header.width, height: header.height, values: values)
    }

    /// Converts `count` little-endian elements to `Float`; returns whether every result is finite.
    private static func convert(
        _ source: UnsafeRawPointer, _ dtype: DType, _ count: Int, _ out: UnsafeMutablePointer<Float>
    ) -> Bool {
        switch dtype {
        case .float32:
            for i in 0..<count {
                out[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        case .float64:
            for i in 0..<count {
                let value = Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                out[i] = Float(value)
            }
        case .float16:
            for i in 0..<count {
                out[i] = HalfFloat.toFloat(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .uint8:
            let bytes = source.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { out[i] = Float(bytes[i]) }
            return true
        case .uint16:
            for i in 0..<count {
                out[i] = Float(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
            return true
        case .int32:
            for i in 0..<count {
                out[i] = Float(Int32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
            }
            return true
        }
        return FloatMapStatistics.allFinite(UnsafeBufferPointer(start: out, count: count))
    }

    /// Column-major (Fortran) element order to row-major.
    private static func transposeColumnMajor(_ values: [Float], width: Int, height: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { out in
                for x in 0..<width {
                    let column = x * height
                    for y in 0..<height { out[y * width + x] = source[column + y] }
                }
            }
        }
        return result
    }
}

/// IEEE 754 binary16 → binary32 conversion (exact).
enum HalfFloat {
    static func toFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x3FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13))  // Inf / NaN
        }
        if exponent == 0 {
            // Zero or subnormal: fraction · 2⁻²⁴, exact in Float.
            let magnitude = Float(fraction) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (fraction << 13))
    }
}
