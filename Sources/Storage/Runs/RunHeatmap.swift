/// Metadata of one stored heatmap of a run (the float32 values are fetched separately).
public struct RunHeatmap: Sendable, Equatable, Codable {
    public var runID: Run.ID
    /// The keyword (matched against region labels and aliases by the scorer).
    public var label: String
    public var width: Int
    public var height: Int
    /// Lower-case hex SHA-256 of the stored float32 little-endian row-major values.
    public var sha256: String
    public var source: HeatmapSource
    /// The uploaded file's name (may be empty).
    public var fileName: String

    public init(
        runID: Run.ID, label: String, width: Int, height: Int, sha256: String, source: HeatmapSource, fileName: String
    ) {
        self.runID = runID
        self.label = label
        self.width = width
        self.height = height
        self.sha256 = sha256
        self.source = source
        self.fileName = fileName
    }
}
