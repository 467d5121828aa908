/// One entry of `suggestions`: a concrete prompt edit for a failing region (or the run-wide two-step entry,
/// whose `label` and `drift` are `nil`).
public struct Suggestion: Sendable, Equatable {
    public var label: String?
    public var drift: DriftCode?
    public var technique: PromptTechnique?
    /// The prompt edit, naming the label.
    public var text: String

    public init(label: String?, drift: DriftCode?, technique: PromptTechnique?, text: String) {
        self.label = label
        self.drift = drift
        self.technique = technique
        self.text = text
    }
}
