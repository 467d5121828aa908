import Foundation
import Hummingbird
import Storage

/// The prompt decision table: rows = prompt versions, a server-rendered SVG pass-rate chart, CSV export, and a
/// side-by-side view of one image's runs under two versions.
public struct ComparisonController: Sendable {
    let services: AppServices
    let access: ProjectAccess

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/compare") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let table = try await ComparisonLoader(services: services).loadTable(projectID: grant.project.id)
            var values = RunPageValues.project(grant)
            let versionIDs = table.rows.map { $0.version.id.description }
            values["images"] = table.images.map { ["id": $0.id.description, "fileName": $0.fileName] }
            values["rows"] = table.rows.enumerated().map { index, row -> [String: Any] in
                let other = versionIDs.count > 1 ? versionIDs[index == 0 ? 1 : 0] : row.version.id.description
                return [
                    "version": RunPageValues.promptVersion(row.version),
                    "imagesScored": row.imagesScored,
                    "passRate": RunPageValues.percent(row.passRate),
                    "meanConcentration": RunPageValues.format(row.meanConcentration),
                    "medianConcentration": RunPageValues.format(row.medianConcentration),
                    "meanCoverage": RunPageValues.format(row.meanCoverage),
                    "mentionedShare": RunPageValues.percent(row.mentionedShare),
                    "medianLatency": row.medianLatencyMs.map { String(format: "%.0f ms", $0) } ?? "—",
                    "cells": table.images.map { image -> [String: Any] in
                        let status = row.verdictsByImage[image.id]
                        return [
                            "imageID": image.id.description, "hasRun": status != nil,
                            "verdict": RunPageValues.verdict(status ?? "scoring"),
                            "href": "/projects/\(grant.project.id)/compare/images/\(image.id)?a=\(row.version.id)&b=\(other)",
                        ]
                    },
                ]
            }
            values["hasRows"] = !table.rows.isEmpty
            values["chart"] = chartValues(table)
            values["scoring"] = table.rows.contains { $0.verdictsByImage.values.contains("scoring") }
            return services.views.renderPage(
                "compare/index", title: "Compare prompts · \(grant.project.name)", values: values, context: context)
        }
        group.get("/projects/:project/compare.csv") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let table = try await ComparisonLoader(services: services).loadTable(projectID: grant.project.id)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"sightline-comparison.csv\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: table.csvText())))
        }
        group.get("/projects/:project/compare/images/:image") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            guard let imageID = context.parameters.get("image").flatMap(Image.ID.init),
                let image = try await services.images.findImage(id: imageID), image.projectID == grant.project.id
            else { throw HTTPError(.notFound, message: "No such image.") }
            let versions = try await services.prompts.listPromptVersions(projectID: grant.project.id)
            func pick(_ key: String, fallback: Int) -> PromptVersion? {
                if let raw = request.uri.queryParameters.get(key), let id = PromptVersion.ID(raw),
                    let found = versions.first(where: { $0.id == id })
                {
                    return found
                }
                return versions.indices.contains(fallback) ? versions[fallback] : versions.first
            }
            guard let a = pick("a", fallback: 0), let b = pick("b", fallback: 1) else {
                throw HTTPError(.notFound, message: "This project has no prompt versions yet.")
            }
            let runs = try await services.runs.listRuns(imageID: image.id)
            let scores = try await services.scoring.listLatestScores(projectID: grant.project.id)
            let pending = try await services.scoring.listRunsBeingScored(projectID: grant.project.id)
            let runA = runs.first { $0.promptVersionID == a.id }
            let runB = runs.first { $0.promptVersionID == b.id }
            var heatmapsByRun: [Run.ID: [RunHeatmap]] = [:]
            for run in [runA, runB].compactMap({ $0 }) {
                heatmapsByRun[run.id] = try await services.runs.listHeatmaps(runID: run.id)
            }
            let entriesA = ComparisonSide.entries(runA.flatMap { scores[$0.id] })
            let entriesB = ComparisonSide.entries(runB.flatMap { scores[$0.id] })
            var labels: [String] = entriesA.map(\.label)
            for entry in entriesB where !labels.contains(entry.label) { labels.append(entry.label) }
            var values = RunPageValues.project(grant)
            values["image"] = ["id": image.id.description, "fileName": image.fileName]
            values["versions"] = versions.map { version -> [String: Any] in
                var row = RunPageValues.promptVersion(version)
                row["selectedA"] = version.id == a.id
                row["selectedB"] = version.id == b.id
                return row
            }
            values["sides"] = [(a, runA), (b, runB)].map { version, run -> [String: Any] in
                var side: [String: Any] = ["version": RunPageValues.promptVersion(version), "hasRun": run != nil]
                if let run {
                    side["run"] = RunPageValues.runRow(
                        run, prompt: version, image: image,
                        status: RunPageValues.status(score: scores[run.id], beingScored: pending.contains(run.id)))
                    side["description"] = run.description ?? ""
                    side["overlays"] = (heatmapsByRun[run.id] ?? []).map { heatmap -> [String: Any] in
                        let label = heatmap.label.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                        return [
                            "label": heatmap.label,
                            "url": "/projects/\(grant.project.id)/runs/\(run.id)/panel.png?label=\(label)&panel=overlay-jet-outlines",
                        ]
                    }
                }
                return side
            }
            values["differences"] = labels.map { label -> [String: Any] in
                let left = entriesA.first { $0.label == label }
                let right = entriesB.first { $0.label == label }
                let delta: Double? = {
                    guard let l = left?.concentration, let r = right?.concentration else { return nil }
                    return r - l
                }()
                let coverageDelta: Double? = {
                    guard let l = left?.coverage, let r = right?.coverage else { return nil }
                    return r - l
                }()
                return [
                    "label": label,
                    "a": RunPageValues.format(left?.concentration), "aVerdict": left?.verdict ?? "—",
                    "b": RunPageValues.format(right?.concentration), "bVerdict": right?.verdict ?? "—",
                    "delta": delta.map { String(format: "%+.3f", $0) } ?? "—",
                    "coverageA": RunPageValues.format(left?.coverage), "coverageB": RunPageValues.format(right?.coverage),
                    "coverageDelta": coverageDelta.map { String(format: "%+.3f", $0) } ?? "—",
                    "better": (delta ?? 0) > 0, "worse": (delta ?? 0) < 0,
                    // Why a verdict differs when the scores do not: the drift code and the mention check.
                    "aDrift": left.map { $0.drift == "ok" ? "" : $0.drift } ?? "",
                    "bDrift": right.map { $0.drift == "ok" ? "" : $0.drift } ?? "",
                    "aMentioned": Self.formatMentioned(left), "bMentioned": Self.formatMentioned(right),
                ]
            }
            return services.views.renderPage(
                "compare/image", title: "Compare · \(image.fileName)", values: values, context: context)
        }
    }

    /// `yes` / `no` for a region's mention check, `–` without one (no description, avoid region, no run).
    static func formatMentioned(_ entry: ComparisonSide.Entry?) -> String {
        entry?.mentioned.map { $0 ? "yes" : "no" } ?? "–"
    }

    /// Bars of pass rate per version, as coordinates for the SVG template (no client-side charting).
    func chartValues(_ table: ComparisonTable) -> [String: Any] {
        let barHeight = 22, gap = 8, labelWidth = 220, plotWidth = 360
        let bars = table.rows.enumerated().map { index, row -> [String: Any] in
            let rate = row.passRate ?? 0
            let y = index * (barHeight + gap)
            return [
                "y": y, "textY": y + barHeight / 2 + 5, "width": Int((Double(plotWidth) * rate).rounded()),
                "x": labelWidth, "height": barHeight, "label": "\(row.version.name) v\(row.version.version)",
                "valueX": labelWidth + Int((Double(plotWidth) * rate).rounded()) + 6,
                "value": RunPageValues.percent(row.passRate),
            ]
        }
        let height = max(1, table.rows.count) * (barHeight + gap)
        return ["bars": bars, "height": height, "width": labelWidth + plotWidth + 60, "plotX": labelWidth, "plotWidth": plotWidth]
    }
}
