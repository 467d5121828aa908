/// A read-only view of a zip archive whose members are stored uncompressed, as PyTorch's `torch.save` writes them.
///
/// Reads the end-of-central-directory record (and the zip64 records when the 32-bit fields are saturated), then
/// every central-directory entry and its local header. Compressed or encrypted members are refused. CRCs are not
/// checked: storages are validated by size, and the pickle by its own structure.
struct ZipArchive {
    /// One member: where its bytes are inside the archive.
    struct Member {
        let name: String
        let dataOffset: Int
        let size: Int
    }

    static let localHeaderSignature: UInt64 = 0x0403_4B50

    let bytes: [UInt8]
    let members: [String: Member]
    let names: [String]

    /// True when the bytes start like a zip file (a local file header).
    static func looksLikeZip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    init(bytes: [UInt8]) throws(VisionModelError) {
        self.bytes = bytes
        let eocd = try Self.findEndOfCentralDirectory(bytes)
        var cursor = ByteCursor(bytes, at: eocd + 4, truncationKind: .malformedArchive, context: "zip")
        let disk = try cursor.readUInt16()
        let cdDisk = try cursor.readUInt16()
        _ = try cursor.readUInt16()  // entries on this disk
        var entryCount = try cursor.readUInt16()
        var cdSize = try cursor.readUInt32()
        var cdOffset = try cursor.readUInt32()
        guard disk == 0 || disk == 0xFFFF, cdDisk == 0 || cdDisk == 0xFFFF else {
            throw VisionModelError(.malformedArchive, "zip: multi-disk archives are not supported")
        }
        if entryCount == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            // zip64: the locator sits just before the end-of-central-directory record.
            guard eocd >= 20 else { throw VisionModelError(.malformedArchive, "zip: zip64 locator missing") }
            var locator = ByteCursor(bytes, at: eocd - 20, truncationKind: .malformedArchive, context: "zip64 locator")
            guard try locator.readUnsigned(4) == 0x0706_4B50 else {
                throw VisionModelError(.malformedArchive, "zip: saturated directory fields but no zip64 locator")
            }
            _ = try locator.readUInt32()
            let record = try locator.readUInt64AsInt()
            var z64 = ByteCursor(bytes, at: record, truncationKind: .malformedArchive, context: "zip64 directory end")
            guard try z64.readUnsigned(4) == 0x0606_4B50 else {
                throw VisionModelError(.malformedArchive, "zip: bad zip64 end-of-central-directory signature")
            }
            _ = try z64.readUInt64AsInt()  // size of record
            _ = try z64.readUInt16()  // version made by
            _ = try z64.readUInt16()  // version needed
            _ = try z64.readUInt32()  // disk
            _ = try z64.readUInt32()  // cd disk
            _ = try z64.readUInt64AsInt()  // entries on this disk
            entryCount = try z64.readUInt64AsInt()
            cdSize = try z64.readUInt64AsInt()
            cdOffset = try z64.readUInt64AsInt()
        }
        guard cdOffset <= bytes.count, cdSize <= bytes.count - cdOffset, entryCount <= bytes.count / 46 + 1 else {
            throw VisionModelError(.malformedArchive, "zip: central directory out of bounds")
        }
        var members: [String: Member] = [:]
        var names: [String] = []
        var cd = ByteCursor(bytes, at: cdOffset, truncationKind: .malformedArchive, context: "zip central directory")
        for _ in 0..<entryCount {
            let member = try Self.readCentralEntry(&cd, bytes: bytes)
            guard members[member.name] == nil else {
                throw VisionModelError(.malformedArchive, "zip: duplicate member \(member.name)")
            }
            members[member.name] = member
            names.append(member.name)
        }
        self.members = members
        self.names = names
    }

    /// The bytes of a member.
    func data(of member: Member) -> ArraySlice<UInt8> {
        bytes[member.dataOffset..<(member.dataOffset + member.size)]
    }

    private static func findEndOfCentralDirectory(_ bytes: [UInt8]) throws(VisionModelError) -> Int {
        guard bytes.count >= 22 else { throw VisionModelError(.malformedArchive, "zip: file too short") }
        let lowest = max(0, bytes.count - 22 - 65_535)
        var i = bytes.count - 22
        while i >= lowest {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 {
                return i
            }
            i -= 1
        }
        throw VisionModelError(.malformedArchive, "zip: no end-of-central-directory record")
    }

    private static func readCentralEntry(_ cd: inout ByteCursor, bytes: [UInt8]) throws(VisionModelError) -> Member {
        guard try cd.readUnsigned(4) == 0x0201_4B50 else {
            throw VisionModelError(.malformedArchive, "zip: bad central directory entry signature")
        }
        _ = try cd.readUInt16()  // version made by
        _ = try cd.readUInt16()  // version needed
        let flags = try cd.readUInt16()
        let method = try cd.readUInt16()
        _ = try cd.readUInt32()  // time + date
        _ = try cd.readUInt32()  // crc
        var compressedSize = try cd.readUInt32()
        var size = try cd.readUInt32()
        let nameLength = try cd.readUInt16()
        let extraLength = try cd.readUInt16()
        let commentLength = try cd.readUInt16()
        _ = try cd.readUInt16()  // disk
        _ = try cd.readUInt16()  // internal attributes
        _ = try cd.readUInt32()  // external attributes
        var localOffset = try cd.readUInt32()
        let nameBytes = try cd.readBytes(nameLength)
        let extra = try cd.readBytes(extraLength)
        _ = try cd.readBytes(commentLength)
        let name = String(decoding: nameBytes, as: UTF8.self)
        guard flags & 0x1 == 0 else { throw VisionModelError(.malformedArchive, "zip: member \(name) is encrypted") }
        guard method == 0 else {
            throw VisionModelError(.malformedArchive, "zip: member \(name) is compressed (method \(method)); only stored members are read")
        }
        // zip64 extended information: the saturated fields, in this order.
        var ex = ByteCursor(Array(extra), truncationKind: .malformedArchive, context: "zip extra field of \(name)")
        while !ex.isAtEnd {
            let id = try ex.readUInt16()
            let length = try ex.readUInt16()
            var field = ByteCursor(Array(try ex.readBytes(length)), truncationKind: .malformedArchive, context: "zip64 field of \(name)")
            guard id == 0x0001 else { continue }
            if size == 0xFFFF_FFFF { size = try field.readUInt64AsInt() }
            if compressedSize == 0xFFFF_FFFF { compressedSize = try field.readUInt64AsInt() }
            if localOffset == 0xFFFF_FFFF { localOffset = try field.readUInt64AsInt() }
        }
        guard compressedSize == size else {
            throw VisionModelError(.malformedArchive, "zip: member \(name) sizes disagree for a stored entry")
        }
        var local = ByteCursor(bytes, at: localOffset, truncationKind: .malformedArchive, context: "zip local header of \(name)")
        guard try local.readUnsigned(4) == localHeaderSignature else {
            throw VisionModelError(.malformedArchive, "zip: bad local header signature for \(name)")
        }
        local.position += 22
        let localNameLength = try local.readUInt16()
        let localExtraLength = try local.readUInt16()
        let dataOffset = local.position + localNameLength + localExtraLength
        guard dataOffset <= bytes.count, size <= bytes.count - dataOffset else {
            throw VisionModelError(.malformedArchive, "zip: member \(name) runs past the end of the file")
        }
        return Member(name: name, dataOffset: dataOffset, size: size)
    }
}
