import Engine
import Foundation
import Storage

/// The JSON shapes of the API's resources (documented in `static/openapi.json`).
enum APIViews {
    static func timestamp(_ date: Date) -> JSONValue {
        .string(date.formatted(.iso8601))
    }

    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    static func promptVersion(_ version: PromptVersion) -> JSONValue {
        .object([
            ("id", .string(version.id.description)),
            ("prompt_id", .string(version.promptID.description)),
            ("project_id", .string(version.projectID.description)),
            ("version", .number(Double(version.version))),
            ("name", .string(version.name)),
            ("text", .string(version.text)),
            ("run_count", .number(Double(version.runCount))),
            ("created_by", optional(version.createdByName)),
            ("created_at", timestamp(version.createdAt)),
        ])
    }

    static func image(_ image: Image, regions: RegionVersion?) -> JSONValue {
        let parsed: JSONValue = regions.flatMap { try? JSONParser.parse($0.regionsJSON) } ?? .null
        return .object([
            ("id", .string(image.id.description)),
            ("file_name", .string(image.fileName)),
            ("width", .number(Double(image.width))),
            ("height", .number(Double(image.height))),
            ("sha256", .string(image.sha256)),
            ("region_version_id", regions.map { .string($0.id.description) } ?? .null),
            ("regions_version", regions.map { .number(Double($0.version)) } ?? .null),
            ("regions", parsed),
        ])
    }

    /// `scoring`: a job is pending or running; otherwise the latest score's verdict (`pass`/`fail`/`error`), or
    /// `scoring` when not scored yet.
    static func status(score: RunScore?, beingScored: Bool) -> String {
        if beingScored || score == nil { return "scoring" }
        return score?.verdict ?? "scoring"
    }

    static func run(_ run: Run, heatmaps: [RunHeatmap], score: RunScore?, beingScored: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = []
        members.append(("id", .string(run.id.description)))
        members.append(("lineage_id", .string(run.lineageID.description)))
        members.append(("revision", .number(Double(run.revision))))
        members.append(("project_id", .string(run.projectID.description)))
        members.append(("prompt_version_id", .string(run.promptVersionID.description)))
        members.append(("image_id", .string(run.imageID.description)))
        members.append(("model", .string(run.modelName)))
        members.append(("description", optional(run.description)))
        let latency: JSONValue = run.latencyMs.map { JSONValue.number(Double($0)) } ?? .null
        members.append(("latency_ms", latency))
        members.append(("source", .string(run.source.rawValue)))
        members.append(("created_at", timestamp(run.createdAt)))
        let maps: [JSONValue] = heatmaps.map(heatmap)
        members.append(("heatmaps", .array(maps)))
        members.append(("status", .string(status(score: score, beingScored: beingScored))))
        let verdict: JSONValue = score.map { JSONValue.string($0.verdict) } ?? .null
        members.append(("verdict", verdict))
        members.append(("engine_version", optional(score?.engineVersion)))
        members.append(("region_version_id", optional(score?.regionVersionID?.description)))
        var thresholds = JSONValue.null
        if let text = score?.thresholdsJSON, let parsed = try? JSONParser.parse(text) { thresholds = parsed }
        members.append(("thresholds", thresholds))
        let scoredAt: JSONValue = score.map { timestamp($0.scoredAt) } ?? .null
        members.append(("scored_at", scoredAt))
        var error = JSONValue.null
        if let score, let code = score.errorCode {
            error = .object([("code", .string(code)), ("message", .string(score.errorMessage ?? ""))])
        }
        members.append(("error", error))
        return .object(members)
    }

    static func heatmap(_ heatmap: RunHeatmap) -> JSONValue {
        .object([
            ("label", .string(heatmap.label)),
            ("width", .number(Double(heatmap.width))),
            ("height", .number(Double(heatmap.height))),
            ("sha256", .string(heatmap.sha256)),
            ("source", .string(heatmap.source.rawValue)),
        ])
    }
}
