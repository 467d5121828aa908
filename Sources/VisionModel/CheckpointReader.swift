/// Parses the two PyTorch checkpoint layouts into tensor references plus the byte ranges of their storages.
struct CheckpointReader {
    typealias TensorReference = PickleMachine.TensorReference

    /// (name, tensor) in pickle order.
    let entries: [(key: String, tensor: TensorReference)]
    private let bytes: [UInt8]
    /// Storage key → byte offset of its first element and number of elements available.
    private let storages: [String: (offset: Int, count: Int)]

    /// The legacy header: PROTO n, LONG1 of 10 bytes = 0x1950a86a20f9469cfc6c, STOP.
    private static let legacyMagic: [UInt8] = [0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]

    static func looksLikeLegacy(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 15 && bytes[0] == 0x80 && Array(bytes[2..<15]) == legacyMagic
    }

    init(zipBytes bytes: [UInt8]) throws(VisionModelError) {
        let archive = try ZipArchive(bytes: bytes)
        guard let pickleName = archive.names.first(where: { $0 == "data.pkl" || $0.hasSuffix("/data.pkl") }),
            let pickleMember = archive.members[pickleName]
        else { throw VisionModelError(.notACheckpoint, "zip archive has no data.pkl: not a PyTorch checkpoint") }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        if let order = archive.members[prefix + "byteorder"] {
            let text = String(decoding: archive.data(of: order), as: UTF8.self)
            guard text == "little" else {
                throw VisionModelError(.invalidStorage, "checkpoint byte order is \(text); only little-endian is read")
            }
        }
        var machine = PickleMachine(bytes: Array(archive.data(of: pickleMember)), allowsPersistentIDs: true)
        let root = try machine.run()
        let entries = try Self.stateDictEntries(root)
        var storages: [String: (offset: Int, count: Int)] = [:]
        for (_, tensor) in entries where storages[tensor.storage.key] == nil {
            let storage = tensor.storage
            guard let member = archive.members[prefix + "data/" + storage.key] else {
                throw VisionModelError(.invalidStorage, "storage \(storage.key) has no member \(prefix)data/\(storage.key)")
            }
            let needed = storage.elementCount.multipliedReportingOverflow(by: storage.dtype.elementSize)
            guard !needed.overflow, member.size >= needed.partialValue else {
                throw VisionModelError(.invalidStorage, "storage \(storage.key) holds \(member.size) bytes, \(storage.elementCount) elements announced")
            }
            storages[storage.key] = (member.dataOffset, storage.elementCount)
        }
        self.entries = entries
        self.bytes = bytes
        self.storages = storages
    }

    init(legacyBytes bytes: [UInt8]) throws(VisionModelError) {
        var position = 15
        var versionMachine = PickleMachine(bytes: bytes, at: position, allowsPersistentIDs: false)
        guard case .int(1001) = try versionMachine.run() else {
            throw VisionModelError(.notACheckpoint, "legacy checkpoint: unsupported protocol version (1001 expected)")
        }
        position = versionMachine.position
        var infoMachine = PickleMachine(bytes: bytes, at: position, allowsPersistentIDs: false)
        let info = try infoMachine.run()
        if case .dict(let box) = info {
            for (key, value) in box.items {
                if case .string("little_endian") = key, case .bool(false) = value {
                    throw VisionModelError(.invalidStorage, "legacy checkpoint was written big-endian; only little-endian is read")
                }
            }
        } else {
            throw VisionModelError(.malformedPickle, "legacy checkpoint: system-info record is not a dict")
        }
        position = infoMachine.position
        var mainMachine = PickleMachine(bytes: bytes, at: position, allowsPersistentIDs: true)
        let root = try mainMachine.run()
        let entries = try Self.stateDictEntries(root)
        position = mainMachine.position
        var keysMachine = PickleMachine(bytes: bytes, at: position, allowsPersistentIDs: false)
        guard case .list(let keyList) = try keysMachine.run() else {
            throw VisionModelError(.malformedPickle, "legacy checkpoint: storage key list is not a list")
        }
        var byKey: [String: PickleMachine.StorageReference] = [:]
        for (_, tensor) in entries { byKey[tensor.storage.key] = tensor.storage }
        var cursor = ByteCursor(bytes, at: keysMachine.position, truncationKind: .invalidStorage, context: "legacy storages")
        var storages: [String: (offset: Int, count: Int)] = [:]
        for item in keyList.items {
            guard case .string(let key) = item else {
                throw VisionModelError(.malformedPickle, "legacy checkpoint: storage key is not a string")
            }
            guard let storage = byKey[key] else {
                throw VisionModelError(.invalidStorage, "legacy checkpoint: storage \(key) is not used by any tensor")
            }
            let count = try cursor.readUInt64AsInt()
            let size = count.multipliedReportingOverflow(by: storage.dtype.elementSize)
            guard !size.overflow, count >= storage.elementCount else {
                throw VisionModelError(.invalidStorage, "storage \(key) holds \(count) elements, \(storage.elementCount) announced")
            }
            let offset = cursor.position
            _ = try cursor.readBytes(size.partialValue)
            storages[key] = (offset, count)
        }
        for key in byKey.keys where storages[key] == nil {
            throw VisionModelError(.invalidStorage, "legacy checkpoint: storage \(key) is missing")
        }
        self.entries = entries
        self.bytes = bytes
        self.storages = storages
    }

    /// The root must be a dict (or OrderedDict) of string → tensor.
    private static func stateDictEntries(_ root: PickleMachine.Value) throws(VisionModelError) -> [(key: String, tensor: TensorReference)] {
        guard case .dict(let box) = root else {
            throw VisionModelError(.malformedPickle, "checkpoint root is a \(root.kindName), not a state dict")
        }
        var entries: [(key: String, tensor: TensorReference)] = []
        var seen = Set<String>()
        for (key, value) in box.items {
            guard case .string(let name) = key else {
                throw VisionModelError(.malformedPickle, "state dict key is a \(key.kindName), not a string")
            }
            guard case .tensor(let tensor) = value else {
                throw VisionModelError(.malformedPickle, "state dict entry \(name) is a \(value.kindName), not a tensor")
            }
            guard seen.insert(name).inserted else {
                throw VisionModelError(.malformedPickle, "state dict key \(name) appears twice")
            }
            entries.append((name, tensor))
        }
        return entries
    }

    /// Copies a float32 tensor's (possibly strided) view into contiguous row-major memory.
    func materialise(_ tensor: TensorReference, name: String) throws(VisionModelError) -> FloatTensor {
        guard let storage = storages[tensor.storage.key] else {
            throw VisionModelError(.invalidStorage, "tensor \(name): storage \(tensor.storage.key) not found")
        }
        var count = 1
        var lastIndex = tensor.offset
        for (size, stride) in zip(tensor.shape, tensor.strides) {
            let c = count.multipliedReportingOverflow(by: size)
            guard !c.overflow else { throw VisionModelError(.invalidStorage, "tensor \(name): size overflows") }
            count = c.partialValue
            if size > 0 {
                let reach = (size - 1).multipliedReportingOverflow(by: stride)
                guard !reach.overflow else { throw VisionModelError(.invalidStorage, "tensor \(name): stride overflows") }
                let sum = lastIndex.addingReportingOverflow(reach.partialValue)
                guard !sum.overflow else { throw VisionModelError(.invalidStorage, "tensor \(name): stride overflows") }
                lastIndex = sum.partialValue
            }
        }
        // A state-dict tensor never has more elements than its storage (no broadcast views).
        guard count <= storage.count else {
            throw VisionModelError(.invalidStorage, "tensor \(name) of shape \(tensor.shape) has more elements than its storage (\(storage.count))")
        }
        guard count == 0 || lastIndex < min(storage.count, tensor.storage.elementCount) else {
            throw VisionModelError(.invalidStorage, "tensor \(name) of shape \(tensor.shape) reaches past its storage of \(storage.count) elements")
        }
        var values = [Float](repeating: 0, count: count)
        if count == 0 { return FloatTensor(uncheckedShape: tensor.shape, values: values) }
        let base = storage.offset
        let shape = tensor.shape
        let strides = tensor.strides
        bytes.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                var index = [Int](repeating: 0, count: shape.count)
                var element = tensor.offset
                for i in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: base + 4 * element, as: UInt32.self)
                    out[i] = Float(bitPattern: UInt32(littleEndian: bits))
                    // Advance the multi-index in C order.
                    var d = shape.count - 1
                    while d >= 0 {
                        index[d] += 1
                        element += strides[d]
                        if index[d] < shape[d] { break }
                        element -= strides[d] * shape[d]
                        index[d] = 0
                        d -= 1
                    }
                }
            }
        }
        return FloatTensor(uncheckedShape: tensor.shape, values: values)
    }
}
