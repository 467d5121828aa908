import Foundation
import Hummingbird
import Storage

/// Prompt versions: list, create, show (with its runs and history) and edit (a new version once runs exist).
public struct PromptsController: Sendable {
    let services: AppServices
    let access: ProjectAccess

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
    }

    struct PromptForm: Decodable {
        var name: String?
        var text: String?
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/prompts") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            return try await renderList(grant, context: context)
        }
        group.post("/projects/:project/prompts") { request, context in
            let grant = try await access.authorize(.managePrompts, projectID: context.parameters.get("project"), context: context)
            let form = try await URLEncodedFormDecoder().decode(PromptForm.self, from: request, context: context)
            do {
                let version = try await services.prompts.createPrompt(
                    projectID: grant.project.id, name: form.name ?? "", text: form.text ?? "", createdBy: grant.user.id)
                return Response.redirect(to: "/projects/\(grant.project.id)/prompts/\(version.id)", type: .normal)
            } catch StorageError.invalidValue(let message) {
                return try await renderList(
                    grant, context: context, extra: ["error": message, "name": form.name ?? "", "text": form.text ?? ""],
                    status: .badRequest)
            }
        }
        group.get("/projects/:project/prompts/:version") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let version = try await findVersion(context.parameters.get("version"), grant: grant)
            let notice = request.uri.queryParameters.get("saved").map { "Saved as version \($0)." }
            return try await renderShow(grant, version: version, context: context, notice: notice)
        }
        group.post("/projects/:project/prompts/:version/edit") { request, context in
            let grant = try await access.authorize(.managePrompts, projectID: context.parameters.get("project"), context: context)
            let version = try await findVersion(context.parameters.get("version"), grant: grant)
            let form = try await URLEncodedFormDecoder().decode(PromptForm.self, from: request, context: context)
            do {
                let saved = try await services.prompts.editPrompt(
                    versionID: version.id, name: form.name ?? "", text: form.text ?? "", editedBy: grant.user.id)
                return Response.redirect(
                    to: "/projects/\(grant.project.id)/prompts/\(saved.id)?saved=\(saved.version)", type: .normal)
            } catch StorageError.invalidValue(let message) {
                return try await renderShow(grant, version: version, context: context, error: message, status: .badRequest)
            }
        }
    }

    func findVersion(_ rawID: String?, grant: ProjectAccess.Grant) async throws -> PromptVersion {
        guard let rawID, let id = PromptVersion.ID(rawID), let version = try await services.prompts.findPromptVersion(id: id),
            version.projectID == grant.project.id
        else { throw HTTPError(.notFound, message: "No such prompt version.") }
        return version
    }

    func renderList(
        _ grant: ProjectAccess.Grant, context: AppRequestContext, extra: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let versions = try await services.prompts.listPromptVersions(projectID: grant.project.id)
        var grouped: [(PromptVersion.PromptID, [PromptVersion])] = []
        for version in versions {
            if let index = grouped.firstIndex(where: { $0.0 == version.promptID }) {
                grouped[index].1.append(version)
            } else {
                grouped.append((version.promptID, [version]))
            }
        }
        var values = RunPageValues.project(grant)
        values["prompts"] = grouped.map { _, versions -> [String: Any] in
            var latest = RunPageValues.promptVersion(versions[0])
            latest["versions"] = versions.map(RunPageValues.promptVersion)
            latest["versionCount"] = versions.count
            return latest
        }
        values["hasPrompts"] = !grouped.isEmpty
        values["name"] = ""
        values["text"] = ""
        for (key, value) in extra { values[key] = value }
        return services.views.renderPage(
            "prompts/index", title: "Prompts · \(grant.project.name)", values: values, context: context, status: status)
    }

    func renderShow(
        _ grant: ProjectAccess.Grant, version: PromptVersion, context: AppRequestContext, notice: String? = nil,
        error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let history = try await services.prompts.listPromptVersions(promptID: version.promptID)
        let runs = try await services.runs.listRuns(promptVersionID: version.id)
        let scores = try await services.scoring.listLatestScores(projectID: grant.project.id)
        let pending = try await services.scoring.listRunsBeingScored(projectID: grant.project.id)
        let images = Dictionary(
            try await services.images.listImages(projectID: grant.project.id).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        var values = RunPageValues.project(grant)
        values["version"] = RunPageValues.promptVersion(version)
        values["history"] = history.map { item -> [String: Any] in
            var row = RunPageValues.promptVersion(item)
            row["isCurrent"] = item.id == version.id
            return row
        }
        values["runs"] = runs.map { run in
            RunPageValues.runRow(
                run, prompt: version, image: images[run.imageID],
                status: RunPageValues.status(score: scores[run.id], beingScored: pending.contains(run.id)))
        }
        values["hasRuns"] = !runs.isEmpty
        values["willCreateVersion"] = version.runCount > 0 || history.first?.id != version.id
        if let state = try await services.signOffs.evaluateStatus(promptVersionID: version.id) {
            values["signOff"] = ReviewValues.statusValues(state)
        }
        let reviewPath = "/projects/\(grant.project.id)/prompt-versions/\(version.id)"
        values["reviewURL"] = "\(reviewPath)/review"
        values["signOffBadgeURL"] = "\(reviewPath)/signoff-status.svg"
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return services.views.renderPage(
            "prompts/show", title: "\(version.name) v\(version.version)", values: values, context: context, status: status)
    }
}
