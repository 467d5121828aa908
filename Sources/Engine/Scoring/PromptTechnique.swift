/// The seed's prompt-editing techniques named in suggestions (scoring.md §5). The raw value is the wire form.
public enum PromptTechnique: String, Sendable, Equatable, CaseIterable {
    case focusVerbs = "focus_verbs"
    case visualAttributes = "visual_attributes"
    case spatialRelation = "spatial_relation"
    case nameExplicitly = "name_explicitly"
    case twoStep = "two_step"
}
