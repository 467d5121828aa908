import Engine
import Storage

/// Per-region figures of one run's latest score, for the side-by-side comparison.
struct ComparisonSide {
    struct Entry {
        var label: String
        var verdict: String
        var concentration: Double?
        var coverage: Double?
    }

    static func entries(_ score: RunScore?) -> [Entry] {
        guard let text = score?.diagnosisJSON, let diagnosis = try? JSONParser.parse(text) else { return [] }
        return (diagnosis["attention_diagnosis"]?.objectValue ?? []).map { label, entry in
            Entry(
                label: label, verdict: entry["verdict"]?.stringValue ?? "—",
                concentration: entry["concentration_score"]?.numberValue,
                coverage: entry["metrics"]?["coverage"]?.numberValue)
        }
    }
}
