/// Writes the `text` of suggestions: a concrete prompt edit naming the label, one per seed technique
/// (focus verbs, visual attributes, spatial relation, name explicitly, two-step).
enum SuggestionWriter {
    /// Context the texts can use.
    struct Context {
        var label: String
        var description: String?
        /// For relation_mismatch: the other focus region the heat went to, and where this region lies from it.
        var otherLabel: String?
        var relation: String?
        /// For attention_leak: the heatmap that leaks.
        var leakFrom: String?
    }

    static func text(for drift: DriftCode, _ c: Context) -> String {
        let l = c.label
        switch drift {
        case .ok:
            return "The attention for \"\(l)\" is where it should be."
        case .noHeatmap:
            return "No heatmap was given for \"\(l)\": add one for the keyword \"\(l)\" so this region can be checked."
        case .noAttention:
            return "The heatmap for \"\(l)\" has no positive attention: make sure the prompt contains \"\(l)\" "
                + "and the heatmap was computed for that keyword."
        case .relationMismatch:
            let other = c.otherLabel ?? "another object"
            let relation = c.relation ?? "next to"
            return "The attention for \"\(l)\" falls on the \(other): state where the \(l) is relative to it, "
                + "e.g. \"the \(l) \(relation) the \(other)\"."
        case .diffuse:
            return "The attention for \"\(l)\" is spread over the whole image: describe the \(l) by its visual "
                + "attributes (colour, shape, size, texture), e.g. \"the small red \(l)\"."
        case .subjectDrift:
            return "The attention drifts away from the \(l): make it the subject with a focus verb, "
                + "e.g. \"Focus on the \(l) …\" or \"The \(l) stands out …\"."
        case .partialCoverage:
            return "The attention covers only part of the \(l): describe the whole \(l) with its visual attributes "
                + "(its shape, colour and extent), e.g. \"the whole \(l), from top to bottom\"."
        case .notMentioned:
            return "The description never names the \(l): name it explicitly, e.g. \"… a \(l) …\"."
        case .attentionLeak:
            let from = c.leakFrom.map { "the \($0)" } ?? "the subject"
            return "Attention leaks into the \(l): steer it to \(from) with a focus verb, e.g. \"Focus on \(from), "
                + "ignoring the \(l)\"."
        }
    }

    static func twoStep(labels: [String]) -> String {
        let list = labels.map { "the \($0)" }.joined(separator: ", ")
        return "Several regions are missed (\(labels.joined(separator: ", "))): describe the scene in two steps — "
            + "first list the foreground objects (\(list)), then focus on each of them in turn."
    }
}
