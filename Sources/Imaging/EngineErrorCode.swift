/// The error codes of the engine contract (scoring.md §7). The raw value is the wire form.
public enum EngineErrorCode: String, Sendable, Codable, CaseIterable {
    case unreadableImage = "unreadable_image"
    case imageTooLarge = "image_too_large"
    case unsupportedHeatmap = "unsupported_heatmap"
    case nonFiniteHeatmap = "non_finite_heatmap"
    case heatmapTooLarge = "heatmap_too_large"
    case invalidRegion = "invalid_region"
    case emptyRegion = "empty_region"
    case invalidJSON = "invalid_json"
}
