import Engine

/// A heatmap to store with a run: the keyword and the raw map `R` as read by `HeatmapReader` (any size).
public struct NewHeatmap: Sendable {
    public var label: String
    public var map: FloatMap
    public var source: HeatmapSource
    public var fileName: String

    public init(label: String, map: FloatMap, source: HeatmapSource = .upload, fileName: String = "") {
        self.label = label
        self.map = map
        self.source = source
        self.fileName = fileName
    }
}
