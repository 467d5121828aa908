import Foundation
import Hummingbird
import Storage

/// The review page of a prompt version (every image with the overlays, verdicts, description and drift of the
/// run the digest covers, a failures filter, the summary, open comments and the sign-off form), the project's
/// sign-off list, and the review page's panel PNGs.
public struct ReviewController: Sendable {
    let services: AppServices
    let access: ProjectAccess
    let overlays: OverlayService

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
        self.overlays = OverlayService(scoring: services.scoring, images: services.images)
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/prompt-versions/:version/review") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let version = try await findVersion(context.parameters.get("version"), in: grant)
            let failuresOnly = request.uri.queryParameters.get("filter") == "failures"
            return try await renderReview(grant: grant, version: version, failuresOnly: failuresOnly, context: context)
        }
        group.get("/projects/:project/signoffs") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            return try await renderSignOffList(grant: grant, context: context)
        }
        group.get("/projects/:project/signoffs/status.svg") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            var rows: [(version: PromptVersion, state: SignOffState)] = []
            for version in try await services.prompts.listPromptVersions(projectID: grant.project.id) {
                if let state = try await services.signOffs.evaluateStatus(promptVersionID: version.id) {
                    rows.append((version, state))
                }
            }
            return Self.svgResponse(SignOffBadge.renderSVG(rows))
        }
        group.get("/projects/:project/prompt-versions/:version/signoff-status.svg") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let version = try await findVersion(context.parameters.get("version"), in: grant)
            guard let state = try await services.signOffs.evaluateStatus(promptVersionID: version.id) else {
                throw HTTPError(.notFound, message: "No such prompt version.")
            }
            return Self.svgResponse(SignOffBadge.renderSVG([(version, state)]))
        }
        group.get("/projects/:project/review/runs/:run/panels/:label/:panel") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            guard let runID = context.parameters.get("run").flatMap(Run.ID.init),
                let run = try await services.runs.findRun(id: runID), run.projectID == grant.project.id,
                let rawPanel = context.parameters.get("panel"), rawPanel.hasSuffix(".png"),
                let panel = OverlayPanel(slug: String(rawPanel.dropLast(4)))
            else {
                throw HTTPError(.notFound, message: "No such panel.")
            }
            let rawLabel = context.parameters.get("label") ?? "_"
            let label = panel.kind == .original ? "" : (rawLabel.removingPercentEncoding ?? rawLabel)
            guard let png = try await overlays.fetchPanelPNG(runID: run.id, label: label, panel: panel) else {
                throw HTTPError(.notFound, message: "No such panel.")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "image/png", .cacheControl: "private, max-age=300"],
                body: .init(byteBuffer: png))
        }
    }

    static func svgResponse(_ svg: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: svg)))
    }

    func findVersion(_ raw: String?, in grant: ProjectAccess.Grant) async throws -> PromptVersion {
        guard let raw, let id = PromptVersion.ID(raw), let version = try await services.prompts.findPromptVersion(id: id),
            version.projectID == grant.project.id
        else {
            throw HTTPError(.notFound, message: "No such prompt version.")
        }
        return version
    }

    /// Renders the review page (also after a refused sign-off, with `error` and the form's values).
    func renderReview(
        grant: ProjectAccess.Grant, version: PromptVersion, failuresOnly: Bool, context: AppRequestContext,
        error: String? = nil, notice: String? = nil, form: (decision: String, comment: String)? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let state = try await services.signOffs.evaluateStatus(promptVersionID: version.id) else {
            throw HTTPError(.notFound, message: "No such prompt version.")
        }
        let model = try await ReviewModel.build(services: services, version: version, input: state.currentInput)
        let reviewURL = "/projects/\(grant.project.id)/prompt-versions/\(version.id)/review"
        var values = DesignPageValues.projectValues(grant)
        values["version"] = ReviewValues.versionValues(version)
        values["state"] = ReviewValues.statusValues(state)
        values["summary"] = ReviewValues.summaryValues(model.summary)
        let rows = model.visibleRows(failuresOnly: failuresOnly)
        values["rows"] = rows.map { ReviewValues.rowValues($0, projectID: grant.project.id, returnTo: reviewURL) }
        values["hasRows"] = !rows.isEmpty
        values["failuresOnly"] = failuresOnly
        values["reviewURL"] = reviewURL
        values["failuresURL"] = reviewURL + "?filter=failures"
        var openComments: [[String: Any]] = []
        for row in model.rows {
            for (index, comment) in row.comments.enumerated() where comment.status == .open {
                var item = ReviewValues.commentValues(comment, number: index + 1, projectID: grant.project.id, returnTo: reviewURL)
                item["fileName"] = row.image.fileName
                openComments.append(item)
            }
        }
        values["openComments"] = openComments
        values["hasOpenComments"] = !openComments.isEmpty
        let failing = state.currentInput.failingImages.count
        let canSignOff = grant.allows(.signOff)
        values["signOff"] = [
            "action": "/projects/\(grant.project.id)/prompt-versions/\(version.id)/signoffs",
            "allowed": canSignOff, "blocked": state.openScoringJobs > 0 || !canSignOff,
            "blockedReason": !canSignOff
                ? "Only reviewers (and administrators) can sign off."
                : "\(state.openScoringJobs) run(s) are still being scored; the sign-off opens when scoring has finished.",
            "digest": state.currentDigest, "expectedSequence": state.latest?.sequence ?? 0,
            "failing": failing, "needsOverride": failing > 0,
            "comment": form?.comment ?? "",
            "approveChecked": (form?.decision ?? "approve") == "approve",
            "rejectChecked": form?.decision == "reject",
        ] as [String: Any]
        let history = try await services.signOffs.listSignOffs(promptVersionID: version.id)
        values["history"] = history.map { ReviewValues.signOffValues($0) }
        values["hasHistory"] = !history.isEmpty
        if let error { values["error"] = error }
        if let notice { values["notice"] = notice }
        return services.views.renderPage(
            "review/show", title: "Review · \(version.name) v\(version.version)", values: values, context: context,
            status: status)
    }

    func renderSignOffList(grant: ProjectAccess.Grant, context: AppRequestContext) async throws -> Response {
        let versions = try await services.prompts.listPromptVersions(projectID: grant.project.id)
        var items: [[String: Any]] = []
        for version in versions {
            guard let state = try await services.signOffs.evaluateStatus(promptVersionID: version.id) else { continue }
            var item = ReviewValues.versionValues(version)
            item["state"] = ReviewValues.statusValues(state)
            items.append(item)
        }
        var values = DesignPageValues.projectValues(grant)
        values["versions"] = items
        values["hasVersions"] = !items.isEmpty
        return services.views.renderPage(
            "signoffs/index", title: "Sign-offs · \(grant.project.name)", values: values, context: context)
    }
}
