/// A bounds-checked little-endian reader over a byte array (internal to the checkpoint reader).
struct ByteCursor {
    let bytes: [UInt8]
    var position: Int
    /// The error kind raised when a read runs past the end.
    let truncationKind: VisionModelError.Kind
    let context: String

    init(_ bytes: [UInt8], at position: Int = 0, truncationKind: VisionModelError.Kind, context: String) {
        self.bytes = bytes
        self.position = position
        self.truncationKind = truncationKind
        self.context = context
    }

    var isAtEnd: Bool { position >= bytes.count }

    func truncated(_ what: String) -> VisionModelError {
        VisionModelError(truncationKind, "\(context): truncated while reading \(what) at byte \(position)")
    }

    mutating func readByte() throws(VisionModelError) -> UInt8 {
        guard position < bytes.count else { throw truncated("a byte") }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads `count` bytes as an unsigned little-endian integer (count ≤ 8).
    mutating func readUnsigned(_ count: Int) throws(VisionModelError) -> UInt64 {
        guard count >= 0, count <= 8, position >= 0, bytes.count - position >= count else {
            throw truncated("a \(count)-byte integer")
        }
        var value: UInt64 = 0
        for i in 0..<count {
            value |= UInt64(bytes[position + i]) << (8 * UInt64(i))
        }
        position += count
        return value
    }

    mutating func readUInt16() throws(VisionModelError) -> Int { Int(try readUnsigned(2)) }
    mutating func readUInt32() throws(VisionModelError) -> Int { Int(try readUnsigned(4)) }

    /// Reads an unsigned 64-bit value that must fit a non-negative `Int`.
    mutating func readUInt64AsInt() throws(VisionModelError) -> Int {
        let value = try readUnsigned(8)
        guard value <= UInt64(Int.max) else {
            throw VisionModelError(truncationKind, "\(context): 64-bit size \(value) out of range")
        }
        return Int(value)
    }

    mutating func readBytes(_ count: Int) throws(VisionModelError) -> ArraySlice<UInt8> {
        guard count >= 0, position >= 0, bytes.count - position >= count else {
            throw truncated("\(count) bytes")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Reads bytes up to (not including) the next `\n`, consuming the newline.
    mutating func readLine() throws(VisionModelError) -> ArraySlice<UInt8> {
        var end = position
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        guard end < bytes.count else { throw truncated("a text line") }
        defer { position = end + 1 }
        return bytes[position..<end]
    }
}
