import Engine
import Foundation
import Storage

/// The prompt decision table: one row per prompt version, computed from the latest run of each (version, image)
/// pair and that run's latest score.
public struct ComparisonTable: Sendable {
    /// One prompt version's figures.
    public struct Row: Sendable {
        public var version: PromptVersion
        /// Latest run per image (scored or not).
        public var runsByImage: [Image.ID: Run]
        /// Verdict per image: `pass`, `fail`, `error`, or `scoring` (no score yet or a re-score pending).
        public var verdictsByImage: [Image.ID: String]
        public var imagesScored: Int
        public var passRate: Double?
        public var meanConcentration: Double?
        public var medianConcentration: Double?
        public var meanCoverage: Double?
        /// Share of focus-region labels mentioned in the descriptions (runs with a description only).
        public var mentionedShare: Double?
        public var medianLatencyMs: Double?
    }

    public var images: [Image]
    public var rows: [Row]

    /// Builds the table.
    public static func build(
        versions: [PromptVersion], images: [Image], runs: [Run], scores: [Run.ID: RunScore], pending: Set<Run.ID>
    ) -> ComparisonTable {
        var rows: [Row] = []
        for version in versions {
            var latest: [Image.ID: Run] = [:]
            for run in runs where run.promptVersionID == version.id {
                if let existing = latest[run.imageID], existing.createdAt > run.createdAt
                    || (existing.createdAt == run.createdAt && existing.revision >= run.revision)
                {
                    continue
                }
                latest[run.imageID] = run
            }
            var verdicts: [Image.ID: String] = [:]
            var passes = 0, scored = 0
            var concentrations: [Double] = [], coverages: [Double] = [], latencies: [Double] = []
            var mentioned = 0, mentionable = 0
            for (imageID, run) in latest {
                if let latency = run.latencyMs { latencies.append(Double(latency)) }
                guard let score = scores[run.id], !pending.contains(run.id) else {
                    verdicts[imageID] = "scoring"
                    continue
                }
                verdicts[imageID] = score.verdict
                guard score.verdict != "error", let text = score.diagnosisJSON,
                    let diagnosis = try? JSONParser.parse(text)
                else { continue }
                scored += 1
                if score.verdict == "pass" { passes += 1 }
                for (_, entry) in diagnosis["attention_diagnosis"]?.objectValue ?? [] {
                    guard entry["kind"]?.stringValue == "focus" else { continue }
                    if let value = entry["concentration_score"]?.numberValue { concentrations.append(value) }
                    if let value = entry["metrics"]?["coverage"]?.numberValue { coverages.append(value) }
                    if let value = entry["mentioned"]?.boolValue {
                        mentionable += 1
                        if value { mentioned += 1 }
                    }
                }
            }
            rows.append(
                Row(
                    version: version, runsByImage: latest, verdictsByImage: verdicts, imagesScored: scored,
                    passRate: scored > 0 ? Double(passes) / Double(scored) : nil, meanConcentration: mean(concentrations),
                    medianConcentration: median(concentrations), meanCoverage: mean(coverages),
                    mentionedShare: mentionable > 0 ? Double(mentioned) / Double(mentionable) : nil,
                    medianLatencyMs: median(latencies)))
        }
        return ComparisonTable(images: images, rows: rows)
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The table as CSV (RFC 4180, header row first).
    public func csvText() -> String {
        var lines = [
            "prompt,version,prompt_version_id,images_scored,pass_rate,mean_concentration_score,"
                + "median_concentration_score,mean_coverage,mentioned_share,median_latency_ms"
        ]
        func cell(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "" }
        for row in rows {
            lines.append(
                [
                    Self.quoteCSV(row.version.name), "\(row.version.version)", row.version.id.description,
                    "\(row.imagesScored)", cell(row.passRate), cell(row.meanConcentration),
                    cell(row.medianConcentration), cell(row.meanCoverage), cell(row.mentionedShare),
                    cell(row.medianLatencyMs),
                ].joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Quotes a CSV field; a leading `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets don't run it.
    static func quoteCSV(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// The table as the API's JSON.
    public func jsonValue() -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        return .object([
            ("images", .array(images.map { .object([("id", .string($0.id.description)), ("file_name", .string($0.fileName))]) })),
            ("prompt_versions", .array(rows.map { row in
                .object([
                    ("id", .string(row.version.id.description)),
                    ("prompt_id", .string(row.version.promptID.description)),
                    ("name", .string(row.version.name)),
                    ("version", .number(Double(row.version.version))),
                    ("images_scored", .number(Double(row.imagesScored))),
                    ("pass_rate", number(row.passRate)),
                    ("mean_concentration_score", number(row.meanConcentration)),
                    ("median_concentration_score", number(row.medianConcentration)),
                    ("mean_coverage", number(row.meanCoverage)),
                    ("mentioned_share", number(row.mentionedShare)),
                    ("median_latency_ms", number(row.medianLatencyMs)),
                    ("verdicts", .object(images.compactMap { image in
                        row.verdictsByImage[image.id].map { (image.id.description, JSONValue.string($0)) }
                    })),
                ])
            })),
        ])
    }
}
