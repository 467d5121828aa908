import Engine
import Foundation
import Storage

/// What the review page and the sign-off report show for one prompt version: per image the run that the digest
/// covers, its verdict, metrics per keyword (focus keywords first), description, drift and comments; and the
/// summary (pass rate, images without a run, regions without a heatmap).
struct ReviewModel: Sendable {
    /// One keyword's result from the diagnosis.
    struct KeywordResult: Sendable {
        var label: String
        var kind: String
        var verdict: String
        var drift: String
        var mentioned: Bool?
        var energy: Double?
        var coverage: Double?
        var iou: Double?
        var pointing: Bool?
        var auc: Double?
        var hasHeatmap: Bool
    }

    /// One image of the project.
    struct ImageRow: Sendable {
        var image: Storage.Image
        var run: Run?
        var score: RunScore?
        /// `pass`, `fail`, `error`, `scoring` or `none` (no run).
        var verdict: String
        var heatmapLabels: [String]
        var keywords: [KeywordResult]
        var promptSuggestion: String?
        var regionsVersion: Int?
        var regionsWithoutHeatmap: [String]
        var comments: [ReviewComment]
    }

    /// Totals over the image rows.
    struct Summary: Sendable {
        var images = 0
        var withRun = 0
        var withoutRun = 0
        var scored = 0
        var passed = 0
        var failed = 0
        var errored = 0
        var beingScored = 0
        var regionsWithoutHeatmap = 0
        var openComments = 0
        var passRate: Double? { scored > 0 ? Double(passed) / Double(scored) : nil }
    }

    var version: PromptVersion
    var rows: [ImageRow]
    var summary: Summary

    /// Builds the model for the runs named by `input` (the current digest input, or a sign-off's).
    /// `scoredBefore` picks, per run, the latest score at or before that time (reports); `nil` takes the latest.
    static func build(
        services: AppServices, version: PromptVersion, input: ReviewDigestInput, scoredBefore: Date? = nil
    ) async throws -> ReviewModel {
        let images = try await services.images.listImages(projectID: version.projectID)
        let imagesByID = Dictionary(images.map { ($0.id.description, $0) }, uniquingKeysWith: { first, _ in first })
        let pending = try await services.scoring.listRunsBeingScored(projectID: version.projectID)
        let comments = try await services.comments.listComments(promptVersionID: version.id)
        let currentRegions = try await services.regions.listCurrentRegionVersions(projectID: version.projectID)
        var regionsByImage: [Image.ID: RegionVersion] = [:]
        for regionVersion in currentRegions { regionsByImage[regionVersion.imageID] = regionVersion }

        var rows: [ImageRow] = []
        var summary = Summary()
        // The digest's images in upload order (images removed since keep their place at the end).
        let ordered = input.images.sorted { a, b in
            let left = imagesByID[a.imageID]?.createdAt ?? .distantFuture
            let right = imagesByID[b.imageID]?.createdAt ?? .distantFuture
            return (left, a.fileName, a.imageID) < (right, b.fileName, b.imageID)
        }
        for entry in ordered {
            guard let image = imagesByID[entry.imageID] else { continue }
            var run: Run?
            var score: RunScore?
            var heatmapLabels: [String] = []
            if let runIDText = entry.run?.id, let runID = Run.ID(runIDText) {
                run = try await services.runs.findRun(id: runID)
                let scores = try await services.scoring.listScores(runID: runID)
                score = scoredBefore.map { limit in scores.first { $0.scoredAt <= limit } } ?? scores.first
                heatmapLabels = try await services.runs.listHeatmaps(runID: runID).map(\.label)
            }
            var verdict = "none"
            if let run {
                if scoredBefore == nil && pending.contains(run.id) {
                    verdict = "scoring"
                } else {
                    verdict = score?.verdict ?? "scoring"
                }
            }
            let (keywords, suggestion) = parseDiagnosis(score?.diagnosisJSON, heatmapLabels: heatmapLabels)
            var missing: [String] = []
            if run != nil, let regionVersion = regionsByImage[image.id],
                let set = try? RegionSet.parse(Array(regionVersion.regionsJSON.utf8))
            {
                // Only focus regions need a heatmap of their own; avoid regions are checked against every heatmap.
                for group in set.groups where group.kind == .focus && !heatmapLabels.contains(where: { group.matches($0) }) {
                    missing.append(group.label)
                }
            }
            let imageComments = comments.filter { $0.imageID == image.id }
            rows.append(
                ImageRow(
                    image: image, run: run, score: score, verdict: verdict, heatmapLabels: heatmapLabels,
                    keywords: keywords, promptSuggestion: suggestion, regionsVersion: entry.regions?.version,
                    regionsWithoutHeatmap: missing, comments: imageComments))
            summary.images += 1
            if run == nil { summary.withoutRun += 1 } else { summary.withRun += 1 }
            switch verdict {
            case "pass": summary.passed += 1; summary.scored += 1
            case "fail": summary.failed += 1; summary.scored += 1
            case "error": summary.errored += 1; summary.scored += 1
            case "scoring": summary.beingScored += 1
            default: break
            }
            summary.regionsWithoutHeatmap += missing.count
            summary.openComments += imageComments.filter { $0.status == .open }.count
        }
        return ReviewModel(version: version, rows: rows, summary: summary)
    }

    /// Keyword results (focus first, then avoid, each in diagnosis order) and the prompt suggestion.
    static func parseDiagnosis(_ text: String?, heatmapLabels: [String]) -> ([KeywordResult], String?) {
        guard let text, let diagnosis = try? JSONParser.parse(text) else { return ([], nil) }
        var results: [KeywordResult] = []
        for (label, entry) in diagnosis["attention_diagnosis"]?.objectValue ?? [] {
            let metrics = entry["metrics"]
            results.append(
                KeywordResult(
                    label: label, kind: entry["kind"]?.stringValue ?? "", verdict: entry["verdict"]?.stringValue ?? "",
                    drift: entry["drift"]?.stringValue ?? "", mentioned: entry["mentioned"]?.boolValue,
                    energy: metrics?["energy_ratio"]?.numberValue, coverage: metrics?["coverage"]?.numberValue,
                    iou: metrics?["iou"]?.numberValue, pointing: metrics?["pointing_game"]?.boolValue,
                    auc: metrics?["auc"]?.numberValue,
                    hasHeatmap: heatmapLabels.contains { RegionGroup.key(for: $0) == RegionGroup.key(for: label) }))
        }
        let focus = results.filter { $0.kind == "focus" }
        let rest = results.filter { $0.kind != "focus" }
        return (focus + rest, diagnosis["prompt_suggestion"]?.stringValue)
    }

    /// The rows to show: all, or only failures (`fail`, `error`) when `failuresOnly`.
    func visibleRows(failuresOnly: Bool) -> [ImageRow] {
        failuresOnly ? rows.filter { $0.verdict == "fail" || $0.verdict == "error" } : rows
    }

    /// Heatmap labels in display order: those of focus keywords first, then the others as uploaded.
    static func orderedLabels(_ row: ImageRow) -> [String] {
        let focus = row.keywords.filter { $0.kind == "focus" }.map { RegionGroup.key(for: $0.label) }
        let first = row.heatmapLabels.filter { focus.contains(RegionGroup.key(for: $0)) }
        return first + row.heatmapLabels.filter { !first.contains($0) }
    }

    static func formatNumber(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.3f", value)
    }

    static func formatPercent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.0f %%", value * 100)
    }
}
