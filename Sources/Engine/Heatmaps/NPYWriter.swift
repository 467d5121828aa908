/// Writes a `FloatMap` as a NumPy `.npy` file: format 1.0, dtype `<f4`, C order, shape `(height, width)`.
public enum NPYWriter {
    /// The `.npy` bytes of `map`.
    public static func float32(_ map: FloatMap) -> [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(map.height), \(map.width)), }"
        // Pad with spaces so that magic (6) + version (2) + length (2) + header + "\n" is a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let headerLength = header.utf8.count
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
        bytes.reserveCapacity(10 + headerLength + 4 * map.values.count)
        bytes += Array(header.utf8)
        for value in map.values {
            let bits = value.bitPattern.littleEndian
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
        }
        return bytes
    }
}
