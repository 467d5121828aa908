/// The result of scoring one image: per-region verdicts, suggestions and the run verdict (scoring.md §5–§6).
public struct Diagnosis: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var description: String?
    /// The run passes ⇔ every region passes.
    public var passed: Bool
    /// One entry per region label, in the order the labels first appear in the regions file.
    public var regions: [RegionDiagnosis]
    /// The single most useful prompt edit; `nil` when everything passes.
    public var promptSuggestion: String?
    public var suggestions: [Suggestion]
    /// Heatmap labels that match no region, sorted.
    public var unmatchedHeatmaps: [String]

    public init(
        width: Int, height: Int, description: String?, passed: Bool, regions: [RegionDiagnosis],
        promptSuggestion: String?, suggestions: [Suggestion], unmatchedHeatmaps: [String]
    ) {
        self.width = width
        self.height = height
        self.description = description
        self.passed = passed
        self.regions = regions
        self.promptSuggestion = promptSuggestion
        self.suggestions = suggestions
        self.unmatchedHeatmaps = unmatchedHeatmaps
    }

    /// The §6 JSON object, keys in the spec's order; `id` (batch mode) goes first when given.
    public func jsonValue(id: JSONValue? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let id { members.append(("id", id)) }
        members.append(("image", .object([("width", .number(Double(width))), ("height", .number(Double(height)))])))
        members.append(("description", description.map(JSONValue.string) ?? .null))
        members.append(("verdict", .string(passed ? "pass" : "fail")))
        members.append(("attention_diagnosis", .object(regions.map { ($0.label, $0.jsonValue) })))
        members.append(("prompt_suggestion", promptSuggestion.map(JSONValue.string) ?? .null))
        members.append(("suggestions", .array(suggestions.map { s in
            .object([
                ("label", s.label.map(JSONValue.string) ?? .null),
                ("drift", s.drift.map { .string($0.rawValue) } ?? .null),
                ("technique", s.technique.map { .string($0.rawValue) } ?? .null),
                ("text", .string(s.text)),
            ])
        })))
        members.append(("unmatched_heatmaps", .array(unmatchedHeatmaps.map(JSONValue.string))))
        return .object(members)
    }

    /// The §6 JSON text (compact, one line).
    public func jsonText(id: JSONValue? = nil) -> String {
        JSONWriter.serialize(jsonValue(id: id))
    }
}
