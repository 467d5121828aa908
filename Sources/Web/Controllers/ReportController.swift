import Engine
import Foundation
import Hummingbird
import Storage

/// The report of one sign-off: printable HTML (print CSS, saves cleanly as PDF from the browser's print dialog)
/// and the same content as JSON. It shows what was reviewed (the sign-off's digest input: the runs and the scores
/// as they were then), the decision, and whether it is still current (stale, with what changed).
public struct ReportController: Sendable {
    let services: AppServices
    let access: ProjectAccess

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
    }

    struct Report {
        var signOff: SignOff
        var version: PromptVersion
        var state: SignOffState
        var model: ReviewModel
        var openComments: [ReviewComment]
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/signoffs/:signoff/report") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let report = try await loadReport(context.parameters.get("signoff"), grant: grant)
            return renderHTML(report, grant: grant, context: context)
        }
        group.get("/projects/:project/signoffs/:signoff/report.json") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let report = try await loadReport(context.parameters.get("signoff"), grant: grant)
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: JSONWriter.serialize(jsonValue(report)))))
        }
    }

    func loadReport(_ raw: String?, grant: ProjectAccess.Grant) async throws -> Report {
        guard let raw, let id = SignOff.ID(raw), let signOff = try await services.signOffs.findSignOff(id: id),
            signOff.projectID == grant.project.id,
            let version = try await services.prompts.findPromptVersion(id: signOff.promptVersionID),
            let state = try await services.signOffs.evaluateStatus(promptVersionID: version.id)
        else { throw HTTPError(.notFound, message: "No such sign-off.") }
        let model = try await ReviewModel.build(
            services: services, version: version, input: signOff.digestInput, scoredBefore: signOff.createdAt)
        let open = try await services.comments.listComments(promptVersionID: version.id, status: .open)
        return Report(signOff: signOff, version: version, state: state, model: model, openComments: open)
    }

    /// Whether this sign-off is the one the current status is about (a later sign-off supersedes it).
    static func currentness(_ report: Report) -> String {
        guard report.state.latest?.id == report.signOff.id else { return "superseded" }
        return report.state.status == .stale ? "stale" : "current"
    }

    func renderHTML(_ report: Report, grant: ProjectAccess.Grant, context: AppRequestContext) -> Response {
        var values = DesignPageValues.projectValues(grant)
        values["version"] = ReviewValues.versionValues(report.version)
        values["signOff"] = ReviewValues.signOffValues(report.signOff)
        values["state"] = ReviewValues.statusValues(report.state)
        let currentness = Self.currentness(report)
        values["currentness"] = currentness
        values["isStale"] = currentness == "stale"
        values["isSuperseded"] = currentness == "superseded"
        values["summary"] = ReviewValues.summaryValues(report.model.summary)
        let reviewURL = "/projects/\(grant.project.id)/prompt-versions/\(report.version.id)/review"
        values["rows"] = report.model.rows.map { row -> [String: Any] in
            var item = ReviewValues.rowValues(row, projectID: grant.project.id, returnTo: reviewURL)
            item["comments"] = [] as [Any]
            return item
        }
        values["openComments"] = report.openComments.enumerated().map { index, comment -> [String: Any] in
            var item = ReviewValues.commentValues(comment, number: index + 1, projectID: grant.project.id, returnTo: reviewURL)
            item["fileName"] = report.model.rows.first { $0.image.id == comment.imageID }?.image.fileName ?? ""
            return item
        }
        values["hasOpenComments"] = !report.openComments.isEmpty
        values["reviewURL"] = reviewURL
        values["jsonURL"] = "/projects/\(grant.project.id)/signoffs/\(report.signOff.id)/report.json"
        values["generatedAt"] = DesignPageValues.formatDate(Date())
        values["thresholds"] = [
            "minEnergy": report.signOff.digestInput.projectThresholds.minEnergy,
            "minCoverage": report.signOff.digestInput.projectThresholds.minCoverage,
            "maxEnergy": report.signOff.digestInput.projectThresholds.maxEnergy,
            "hotThreshold": report.signOff.digestInput.projectThresholds.hotThreshold,
        ]
        values["promptText"] = report.signOff.digestInput.prompt.text
        return services.views.renderPage(
            "reports/show", title: "Sign-off report · \(report.version.name) v\(report.version.version)",
            values: values, context: context)
    }

    func jsonValue(_ report: Report) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null }
        func bool(_ value: Bool?) -> JSONValue { value.map(JSONValue.bool) ?? .null }
        let signOff = report.signOff
        let summary = report.model.summary
        let input = signOff.digestInput
        return .object([
            ("sign_off", .object([
                ("id", .string(signOff.id.description)),
                ("sequence", .number(Double(signOff.sequence))),
                ("decision", .string(signOff.decision.rawValue)),
                ("override", .bool(signOff.override)),
                ("comment", .string(signOff.comment)),
                ("reviewer", .string(signOff.reviewerName)),
                ("reviewer_id", signOff.reviewerID.map { .string($0.description) } ?? .null),
                ("signed_at", .string(ISO8601DateFormatter().string(from: signOff.createdAt))),
                ("digest", .string(signOff.digest)),
            ])),
            ("current", .object([
                ("status", .string(report.state.status.rawValue)),
                ("this_sign_off", .string(Self.currentness(report))),
                ("digest", .string(report.state.currentDigest)),
                ("changes", .array(report.state.changes.map(Self.changeJSON))),
            ])),
            ("prompt", .object([
                ("prompt_version_id", .string(report.version.id.description)),
                ("prompt_id", .string(report.version.promptID.description)),
                ("name", .string(input.prompt.name)),
                ("version", .number(Double(input.prompt.version))),
                ("text", .string(input.prompt.text)),
            ])),
            ("thresholds", .object([
                ("min_energy", .number(input.projectThresholds.minEnergy)),
                ("min_coverage", .number(input.projectThresholds.minCoverage)),
                ("max_energy", .number(input.projectThresholds.maxEnergy)),
                ("hot_threshold", .number(input.projectThresholds.hotThreshold)),
            ])),
            ("summary", .object([
                ("images", .number(Double(summary.images))),
                ("images_with_run", .number(Double(summary.withRun))),
                ("images_without_run", .number(Double(summary.withoutRun))),
                ("scored", .number(Double(summary.scored))),
                ("passed", .number(Double(summary.passed))),
                ("failed", .number(Double(summary.failed))),
                ("errors", .number(Double(summary.errored))),
                ("pass_rate", number(summary.passRate)),
                ("regions_without_heatmap", .number(Double(summary.regionsWithoutHeatmap))),
                ("open_comments", .number(Double(report.openComments.count))),
            ])),
            ("images", .array(report.model.rows.map { row in
                let entry = input.images.first { $0.imageID == row.image.id.description }
                return .object([
                    ("image_id", .string(row.image.id.description)),
                    ("file_name", .string(row.image.fileName)),
                    ("regions_version", entry?.regions.map { .number(Double($0.version)) } ?? .null),
                    ("run_id", row.run.map { .string($0.id.description) } ?? .null),
                    ("model_name", row.run.map { .string($0.modelName) } ?? .null),
                    ("description", row.run?.description.map(JSONValue.string) ?? .null),
                    ("verdict", .string(row.verdict)),
                    ("engine_version", row.score.map { .string($0.engineVersion) } ?? .null),
                    ("heatmaps", .array((entry?.run?.heatmaps ?? []).map {
                        .object([("label", .string($0.label)), ("sha256", .string($0.sha256))])
                    })),
                    ("regions_without_heatmap", .array(row.regionsWithoutHeatmap.map(JSONValue.string))),
                    ("keywords", .array(row.keywords.map { keyword in
                        .object([
                            ("label", .string(keyword.label)), ("kind", .string(keyword.kind)),
                            ("verdict", .string(keyword.verdict)), ("drift", .string(keyword.drift)),
                            ("mentioned", bool(keyword.mentioned)), ("energy_ratio", number(keyword.energy)),
                            ("coverage", number(keyword.coverage)), ("iou", number(keyword.iou)),
                            ("pointing_game", bool(keyword.pointing)), ("auc", number(keyword.auc)),
                        ])
                    })),
                ])
            })),
            ("open_comments", .array(report.openComments.map { comment in
                .object([
                    ("id", .string(comment.id.description)), ("run_id", .string(comment.runID.description)),
                    ("image_id", .string(comment.imageID.description)), ("shape", .string(comment.shape.rawValue)),
                    ("x", .number(comment.x)), ("y", .number(comment.y)), ("width", .number(comment.width)),
                    ("height", .number(comment.height)), ("body", .string(comment.body)),
                    ("author", comment.createdByName.map(JSONValue.string) ?? .null),
                    ("replies", .number(Double(comment.replies.count))),
                ])
            })),
        ])
    }

    static func changeJSON(_ change: DigestChange) -> JSONValue {
        .object([
            ("kind", .string(change.kind)), ("image_id", change.imageID.isEmpty ? .null : .string(change.imageID)),
            ("image", change.imageName.isEmpty ? .null : .string(change.imageName)), ("message", .string(change.message)),
        ])
    }
}
