import Crypto
import Engine
import Foundation
import NIOCore

/// The storage form of a heatmap: float32 little-endian, row-major, and its SHA-256 (the identity a sign-off
/// digest refers to).
public enum HeatmapEncoding {
    /// The little-endian float32 bytes of `map.values`.
    public static func encodeValues(_ map: FloatMap) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: map.values.count * 4)
        for value in map.values {
            buffer.writeInteger(value.bitPattern, endianness: .little, as: UInt32.self)
        }
        return buffer
    }

    /// Reads `width × height` float32 values back; `StorageError.invalidValue` when the length does not match.
    public static func decodeValues(_ buffer: ByteBuffer, width: Int, height: Int) throws -> FloatMap {
        var buffer = buffer
        let count = width * height
        guard width > 0, height > 0, buffer.readableBytes == count * 4 else {
            throw StorageError.invalidValue("stored heatmap has \(buffer.readableBytes) bytes for \(width)x\(height)")
        }
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { out in
            for i in 0..<count {
                let bits = buffer.readInteger(endianness: .little, as: UInt32.self) ?? 0
                out[i] = Float(bitPattern: bits)
            }
        }
        return FloatMap(width: width, height: height, values: values)
    }

    /// Lower-case hex SHA-256 of the stored bytes.
    public static func computeSHA256(_ buffer: ByteBuffer) -> String {
        SHA256.hash(data: buffer.readableBytesView).map { String(format: "%02x", $0) }.joined()
    }
}
