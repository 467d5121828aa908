/// An error raised by the vision model layer: a weights file it cannot or will not read, a tensor of the wrong
/// type or shape, a bad model input or an unknown class.
///
/// The checkpoint reader never executes anything from the file: whatever it does not recognise becomes one of these.
public struct VisionModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Equatable {
        /// The file could not be read from disk.
        case unreadableFile = "unreadable_file"
        /// The bytes are neither a PyTorch zip checkpoint nor a legacy PyTorch checkpoint.
        case notACheckpoint = "not_a_checkpoint"
        /// The zip container is truncated, inconsistent or uses a feature the reader refuses (compression, encryption).
        case malformedArchive = "malformed_archive"
        /// The pickle stream is truncated or inconsistent.
        case malformedPickle = "malformed_pickle"
        /// The pickle uses an opcode outside the small set a state dict needs.
        case unsupportedOpcode = "unsupported_opcode"
        /// The pickle references a global (class or function) outside the whitelist.
        case forbiddenGlobal = "forbidden_global"
        /// A tensor's storage record is missing, too short or addressed out of bounds.
        case invalidStorage = "invalid_storage"
        /// A tensor has a data type other than the one required (e.g. int64 where float32 is needed).
        case wrongDType = "wrong_dtype"
        /// A tensor the model needs is absent from the state dict.
        case missingTensor = "missing_tensor"
        /// A tensor has a shape other than the one the architecture requires.
        case wrongShape = "wrong_shape"
        /// The model input (tensor size or image) is invalid.
        case invalidInput = "invalid_input"
        /// A class name or index that is not one of the 1000 ImageNet classes.
        case unknownClass = "unknown_class"
    }

    /// The machine-readable kind.
    public var kind: Kind
    /// What went wrong, for a person.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
