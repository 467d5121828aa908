import Foundation

extension EfficientNetLite0 {
    /// The environment variable naming the weights file (set by `scripts/lib/weights.sh`).
    public static let weightsEnvironmentVariable = "SIGHTLINE_MODEL_WEIGHTS"

    /// The weights file's name inside `.data/models/`.
    public static let weightsFileName = "efficientnet-lite0-57934424.pth"

    /// The weights path to use: `explicit` if given, else `$SIGHTLINE_MODEL_WEIGHTS`; throws `.unreadableFile`
    /// with instructions when neither is set.
    public static func weightsPath(explicit: String?) throws(VisionModelError) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let path = ProcessInfo.processInfo.environment[weightsEnvironmentVariable], !path.isEmpty { return path }
        throw VisionModelError(
            .unreadableFile,
            "no model weights: pass --weights PATH or set \(weightsEnvironmentVariable) (scripts/serve and scripts/test fetch \(weightsFileName) with pip into .data/models/)"
        )
    }
}
