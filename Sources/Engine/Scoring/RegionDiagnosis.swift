/// The verdict of one region (an entry of `attention_diagnosis`, scoring.md §5–§6).
public struct RegionDiagnosis: Sendable, Equatable {
    /// The region label as written (the first region of a shared label).
    public var label: String
    public var kind: RegionKind
    public var passed: Bool
    public var drift: DriftCode
    /// Whether the description mentions the label or an alias; `nil` without a description (and for avoid regions).
    public var mentioned: Bool?
    /// Metrics of the matched heatmap (focus) or of the heatmap leaking most into it (avoid); `nil` when none.
    public var metrics: MetricSet?
    /// The thresholds in force for this region (`maxEnergy` used by avoid regions, the other two by focus regions).
    public var thresholds: ScoringThresholds
    /// The heatmap label the metrics come from (`leak_from` of a failing avoid region).
    public var heatmapLabel: String?

    public init(
        label: String, kind: RegionKind, passed: Bool, drift: DriftCode, mentioned: Bool?, metrics: MetricSet?,
        thresholds: ScoringThresholds, heatmapLabel: String?
    ) {
        self.label = label
        self.kind = kind
        self.passed = passed
        self.drift = drift
        self.mentioned = mentioned
        self.metrics = metrics
        self.thresholds = thresholds
        self.heatmapLabel = heatmapLabel
    }

    /// The §6 JSON object of this entry (keys in the spec's order).
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("kind", .string(kind == .avoid ? "avoid" : "focus")),
            ("verdict", .string(passed ? "pass" : "fail")),
            ("drift", .string(drift.rawValue)),
            ("mentioned", mentioned.map(JSONValue.bool) ?? .null),
            ("concentration_score", Self.number(metrics?.energyRatio)),
            ("region", metrics?.direction.map(JSONValue.string) ?? .null),
            ("metrics", Self.metricsJSON(metrics)),
        ]
        if kind == .avoid {
            members.append(("thresholds", .object([("max_energy", .number(thresholds.maxEnergy))])))
            members.append(("leak_from", !passed ? heatmapLabel.map(JSONValue.string) ?? .null : .null))
        } else {
            members.append(("thresholds", .object([
                ("min_energy", .number(thresholds.minEnergy)),
                ("min_coverage", .number(thresholds.minCoverage)),
            ])))
        }
        return .object(members)
    }

    static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    static func metricsJSON(_ m: MetricSet?) -> JSONValue {
        let centroid: JSONValue = m?.centroid.map { .array([number($0.x), number($0.y)]) } ?? .null
        return .object([
            ("energy_ratio", number(m?.energyRatio)),
            ("coverage", number(m?.coverage)),
            ("iou", number(m?.iou)),
            ("hot_area", number(m?.hotArea)),
            ("pointing_game", m?.pointingGame.map(JSONValue.bool) ?? .null),
            ("rank_accuracy", number(m?.rankAccuracy)),
            ("auc", number(m?.auc)),
            ("spread", number(m?.spread)),
            ("centroid", centroid),
        ])
    }
}
