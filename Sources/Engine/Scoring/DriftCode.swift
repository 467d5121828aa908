/// Why a region fails (scoring.md §5), or `ok`. The raw value is the wire form.
///
/// For a focus region the first code that applies, in declaration order, is reported.
public enum DriftCode: String, Sendable, Equatable, CaseIterable {
    case ok
    case noHeatmap = "no_heatmap"
    case noAttention = "no_attention"
    case relationMismatch = "relation_mismatch"
    case diffuse
    case subjectDrift = "subject_drift"
    case partialCoverage = "partial_coverage"
    case notMentioned = "not_mentioned"
    /// A failing avoid region.
    case attentionLeak = "attention_leak"

    /// The prompt-editing technique suggested for this drift (`nil` for `ok`, `no_heatmap`, `no_attention`).
    public var technique: PromptTechnique? {
        switch self {
        case .subjectDrift, .attentionLeak: return .focusVerbs
        case .diffuse, .partialCoverage: return .visualAttributes
        case .relationMismatch: return .spatialRelation
        case .notMentioned: return .nameExplicitly
        case .ok, .noHeatmap, .noAttention: return nil
        }
    }
}
