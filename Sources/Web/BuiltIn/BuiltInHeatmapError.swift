/// Why a built-in Grad-CAM request was refused or a job failed; `message` is shown to the user as it is.
public struct BuiltInHeatmapError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal.
    public enum Kind: String, Sendable, Equatable {
        /// The weights file is missing or unreadable: the feature is off.
        case unavailable
        /// No focus region's label or alias names an ImageNet class (and none was chosen).
        case noTargets
        /// A chosen class is not one of the 1000 ImageNet classes.
        case unknownClass
        /// The image has no regions yet.
        case noRegions
        /// A form value is missing or malformed.
        case invalidRequest
        /// The image could not be decoded or the model failed on it.
        case computationFailed
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
