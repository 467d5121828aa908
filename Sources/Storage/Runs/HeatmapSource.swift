/// Where a stored heatmap came from.
public enum HeatmapSource: String, Sendable, Codable, CaseIterable {
    /// Uploaded by an engineer (browser or API).
    case upload
    /// Computed by the server's built-in model.
    case builtin
}
