import Foundation

/// Builds small PyTorch-style checkpoints byte by byte for the reader tests: a pickle writer for the opcodes
/// `torch.save` uses, and a zip writer for stored members.
enum CheckpointBuilder {
    /// Pickle fragments (protocol 2).
    struct Pickle {
        var bytes: [UInt8] = [0x80, 0x02]

        mutating func op(_ code: UInt8) { bytes.append(code) }

        mutating func global(_ module: String, _ name: String) {
            bytes.append(0x63)
            bytes += Array("\(module)\n\(name)\n".utf8)
        }

        mutating func string(_ text: String) {
            let utf8 = Array(text.utf8)
            bytes.append(0x58)
            bytes += le32(utf8.count) + utf8
        }

        mutating func int(_ value: Int) {
            if (0..<256).contains(value) {
                bytes += [0x4B, UInt8(value)]
            } else {
                bytes.append(0x4A)
                bytes += le32(value)
            }
        }

        mutating func intTuple(_ values: [Int]) {
            op(0x28)
            for v in values { int(v) }
            op(0x74)
        }

        /// `_rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())`.
        mutating func tensor(storageClass: String, key: String, elements: Int, offset: Int, shape: [Int], strides: [Int],
                             rebuild: (String, String) = ("torch._utils", "_rebuild_tensor_v2")) {
            global(rebuild.0, rebuild.1)
            op(0x28)  // MARK (args)
            op(0x28)  // MARK (persistent id)
            string("storage")
            global("torch", storageClass)
            string(key)
            string("cpu")
            int(elements)
            op(0x74)  // TUPLE
            op(0x51)  // BINPERSID
            int(offset)
            intTuple(shape)
            intTuple(strides)
            op(0x89)  // NEWFALSE
            global("collections", "OrderedDict")
            op(0x29)  // EMPTY_TUPLE
            op(0x52)  // REDUCE
            op(0x74)  // TUPLE (args)
            op(0x52)  // REDUCE
        }

        /// OrderedDict() then MARK … SETITEMS around `body`, then STOP.
        static func stateDict(_ body: (inout Pickle) -> Void) -> [UInt8] {
            var p = Pickle()
            p.global("collections", "OrderedDict")
            p.op(0x29)
            p.op(0x52)
            p.op(0x28)
            body(&p)
            p.op(0x75)  // SETITEMS
            p.op(0x2E)  // STOP
            return p.bytes
        }
    }

    static func le32(_ value: Int) -> [UInt8] {
        let v = UInt32(truncatingIfNeeded: value)
        return [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
    }

    static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }

    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { le32(Int($0.bitPattern)) }
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    /// A zip of stored members (method 0 unless `method` says otherwise), as `torch.save` lays them out.
    static func zip(_ members: [(String, [UInt8])], method: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in members {
            let nameBytes = Array(name.utf8)
            let offset = out.count
            let crc = Int(crc32(data))
            out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0)
            out += le32(crc) + le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0)
            out += nameBytes + data
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0)
            central += le32(crc) + le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0) + le16(0)
            central += le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        }
        let cdOffset = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(members.count) + le16(members.count)
        out += le32(central.count) + le32(cdOffset) + le16(0)
        return out
    }

    /// A zip checkpoint `archive/data.pkl` + `archive/data/<key>` + `archive/version` + `archive/byteorder`.
    static func checkpoint(pickle: [UInt8], storages: [(String, [UInt8])]) -> [UInt8] {
        var members: [(String, [UInt8])] = [("archive/data.pkl", pickle), ("archive/byteorder", Array("little".utf8))]
        for (key, data) in storages { members.append(("archive/data/\(key)", data)) }
        members.append(("archive/version", Array("3\n".utf8)))
        return zip(members)
    }

    /// A small valid state dict: `w` a transposed 2×2 view (offset 1, strides (1, 2)) of storage 0 = [0 … 5],
    /// `b` the 3 floats of storage 1, `n` an int64 scalar.
    static func validCheckpoint(wStorageClass: String = "FloatStorage") -> [UInt8] {
        let pickle = Pickle.stateDict { p in
            p.string("w")
            p.tensor(storageClass: wStorageClass, key: "0", elements: 6, offset: 1, shape: [2, 2], strides: [1, 2])
            p.string("b")
            p.tensor(storageClass: "FloatStorage", key: "1", elements: 3, offset: 0, shape: [3], strides: [1])
            p.string("n")
            p.tensor(storageClass: "LongStorage", key: "2", elements: 1, offset: 0, shape: [], strides: [])
        }
        let storage0 = wStorageClass == "LongStorage" ? [UInt8](repeating: 0, count: 48) : floatBytes([0, 1, 2, 3, 4, 5])
        return checkpoint(pickle: pickle, storages: [
            ("0", storage0), ("1", floatBytes([-1.5, 0.25, 7])), ("2", [UInt8](repeating: 0, count: 8)),
        ])
    }
}
