import Foundation

/// A PyTorch state dict read from a checkpoint file: tensor name → float32 tensor.
///
/// Reads both formats `torch.save` writes: the zip format (PyTorch ≥ 1.6: `<name>/data.pkl` plus one stored member
/// per storage under `<name>/data/`) and the legacy format (`_use_new_zipfile_serialization=False`: a magic number,
/// protocol version and system-info pickles, the state-dict pickle, the list of storage keys, then each storage as an
/// int64 element count followed by its raw bytes). Storages must be little-endian. Only whitelisted pickle globals
/// are accepted and nothing from the file is ever executed. float32 tensors are copied into contiguous memory;
/// int64 tensors (BatchNorm's `num_batches_tracked`) are recorded by name and shape but their values are not kept.
public struct StateDict: Sendable {
    /// The tensor names in file order (float32 and int64 alike).
    public let keys: [String]
    private let floatTensors: [String: FloatTensor]
    private let otherTensors: [String: (dtype: String, shape: [Int])]

    /// Reads a checkpoint file.
    public init(contentsOf path: String) throws(VisionModelError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VisionModelError(.unreadableFile, "cannot read weights file \(path)")
        }
        try self.init(bytes: [UInt8](data))
    }

    /// Reads a checkpoint from its bytes.
    public init(bytes: [UInt8]) throws(VisionModelError) {
        let reader: CheckpointReader
        if ZipArchive.looksLikeZip(bytes) {
            reader = try CheckpointReader(zipBytes: bytes)
        } else if CheckpointReader.looksLikeLegacy(bytes) {
            reader = try CheckpointReader(legacyBytes: bytes)
        } else {
            throw VisionModelError(
                .notACheckpoint,
                "not a PyTorch checkpoint: neither a zip archive nor a legacy torch.save file"
            )
        }
        var floats: [String: FloatTensor] = [:]
        var others: [String: (dtype: String, shape: [Int])] = [:]
        for (key, tensor) in reader.entries {
            switch tensor.storage.dtype {
            case .float32:
                floats[key] = try reader.materialise(tensor, name: key)
            case .int64:
                others[key] = (dtype: "int64", shape: tensor.shape)
            }
        }
        self.keys = reader.entries.map(\.key)
        self.floatTensors = floats
        self.otherTensors = others
    }

    /// Number of tensors (of any dtype).
    public var count: Int { keys.count }

    /// The float32 tensor named `key`; throws `.missingTensor` if absent, `.wrongDType` if it is not float32.
    public func tensor(_ key: String) throws(VisionModelError) -> FloatTensor {
        if let tensor = floatTensors[key] { return tensor }
        if let other = otherTensors[key] {
            throw VisionModelError(.wrongDType, "tensor \(key) is \(other.dtype), float32 is required")
        }
        throw VisionModelError(.missingTensor, "the state dict has no tensor \(key)")
    }

    /// The float32 tensor named `key`, which must have exactly `shape`.
    public func tensor(_ key: String, shape: [Int]) throws(VisionModelError) -> FloatTensor {
        let tensor = try tensor(key)
        guard tensor.shape == shape else {
            throw VisionModelError(.wrongShape, "tensor \(key) has shape \(tensor.shape), expected \(shape)")
        }
        return tensor
    }

    /// Whether a float32 tensor named `key` exists.
    public func containsFloatTensor(_ key: String) -> Bool { floatTensors[key] != nil }
}
