import Engine
import Storage

/// Per-region figures of one run's latest score, for the side-by-side comparison.
struct ComparisonSide {
    struct Entry {
        var label: String
        var verdict: String
        /// The drift code (`ok` when the region passes).
        var drift: String
        /// Whether the description mentions the region (`nil` without a description, and for avoid regions).
        var mentioned: Bool?
        var concentration: Double?
        var coverage: Double?
    }

    static func entries(_ score: RunScore?) -> [Entry] {
        guard let text = score?.diagnosisJSON, let diagnosis = try? JSONParser.parse(text) else { return [] }
        return (diagnosis["attention_diagnosis"]?.objectValue ?? []).map { label, entry in
            Entry(
                label: label, verdict: entry["verdict"]?.stringValue ?? "—",
                drift: entry["drift"]?.stringValue ?? "", mentioned: entry["mentioned"]?.boolValue,
                concentration: entry["concentration_score"]?.numberValue,
                coverage: entry["metrics"]?["coverage"]?.numberValue)
        }
    }
}
