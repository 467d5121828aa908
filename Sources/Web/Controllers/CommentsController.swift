import Foundation
import Hummingbird
import Storage

/// Review comments pinned on a run's image: create (point or box, with the x/y fields as the no-JavaScript
/// fallback of `pin-comment.js`), reply, resolve and reopen; and a plain page per run listing its comments.
/// Every project member may comment; non-members get 404.
public struct CommentsController: Sendable {
    let services: AppServices
    let access: ProjectAccess

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
    }

    struct CommentForm: Decodable {
        var body: String?
        var shape: String?
        var x: String?
        var y: String?
        var width: String?
        var height: String?
        var label: String?
        var return_to: String?
    }

    struct ReplyForm: Decodable {
        var body: String?
        var return_to: String?
        var row_version: String?
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/runs/:run/comments") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let run = try await findRun(context.parameters.get("run"), grant: grant)
            return try await renderRunComments(grant: grant, run: run, context: context)
        }
        group.post("/projects/:project/runs/:run/comments") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let run = try await findRun(context.parameters.get("run"), grant: grant)
            let form = try await URLEncodedFormDecoder().decode(CommentForm.self, from: request, context: context)
            func number(_ text: String?) -> Double? {
                guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return 0 }
                return Double(text)
            }
            let shape = CommentShape(rawValue: form.shape ?? "point") ?? .point
            guard let x = number(form.x), let y = number(form.y), let width = number(form.width),
                let height = number(form.height)
            else {
                return try await renderRunComments(
                    grant: grant, run: run, context: context, error: "The position must be numbers (image pixels).",
                    status: .badRequest)
            }
            do {
                _ = try await services.comments.createComment(
                    NewReviewComment(
                        projectID: grant.project.id, runID: run.id, label: form.label ?? "", shape: shape, x: x, y: y,
                        width: width, height: height, body: form.body ?? "", createdBy: grant.user.id))
            } catch StorageError.invalidValue(let message) {
                return try await renderRunComments(
                    grant: grant, run: run, context: context, error: message, status: .badRequest)
            }
            return Response.redirect(to: returnTarget(form.return_to, grant: grant, run: run), type: .normal)
        }
        group.post("/projects/:project/comments/:comment/replies") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let comment = try await findComment(context.parameters.get("comment"), grant: grant)
            let form = try await URLEncodedFormDecoder().decode(ReplyForm.self, from: request, context: context)
            _ = try await services.comments.createReply(
                commentID: comment.id, projectID: grant.project.id, body: form.body ?? "", createdBy: grant.user.id)
            return Response.redirect(to: returnTarget(form.return_to, grant: grant, runID: comment.runID), type: .normal)
        }
        for (path, status) in [("resolve", CommentStatus.resolved), ("reopen", CommentStatus.open)] {
            group.post("/projects/:project/comments/:comment/\(path)") { request, context in
                let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
                let comment = try await findComment(context.parameters.get("comment"), grant: grant)
                let form = try await URLEncodedFormDecoder().decode(ReplyForm.self, from: request, context: context)
                let expected = form.row_version.flatMap { Int($0) }
                let done = try await services.comments.updateStatus(
                    commentID: comment.id, projectID: grant.project.id, status: status, changedBy: grant.user.id,
                    expectedRowVersion: expected)
                guard done else {
                    throw HTTPError(.conflict, message: "Someone changed this comment meanwhile; reload the page.")
                }
                return Response.redirect(to: returnTarget(form.return_to, grant: grant, runID: comment.runID), type: .normal)
            }
        }
    }

    func findRun(_ raw: String?, grant: ProjectAccess.Grant) async throws -> Run {
        guard let raw, let id = Run.ID(raw), let run = try await services.runs.findRun(id: id),
            run.projectID == grant.project.id
        else { throw HTTPError(.notFound, message: "No such run.") }
        return run
    }

    func findComment(_ raw: String?, grant: ProjectAccess.Grant) async throws -> ReviewComment {
        guard let raw, let id = ReviewComment.ID(raw), let comment = try await services.comments.findComment(id: id),
            comment.projectID == grant.project.id
        else { throw HTTPError(.notFound, message: "No such comment.") }
        return comment
    }

    /// A same-project path to go back to (never another site), else the run's comment page.
    func returnTarget(_ raw: String?, grant: ProjectAccess.Grant, run: Run) -> String {
        returnTarget(raw, grant: grant, runID: run.id)
    }

    func returnTarget(_ raw: String?, grant: ProjectAccess.Grant, runID: Run.ID) -> String {
        let prefix = "/projects/\(grant.project.id)/"
        if let raw, raw.hasPrefix(prefix), !raw.contains("//"), !raw.contains("\\"),
            raw.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f })
        {
            return raw
        }
        return "\(prefix)runs/\(runID)/comments"
    }

    func renderRunComments(
        grant: ProjectAccess.Grant, run: Run, context: AppRequestContext, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let image = try await services.images.findImage(id: run.imageID),
            let version = try await services.prompts.findPromptVersion(id: run.promptVersionID)
        else { throw HTTPError(.notFound, message: "No such run.") }
        let comments = try await services.comments.listComments(runID: run.id)
        let heatmaps = try await services.runs.listHeatmaps(runID: run.id)
        let pageURL = "/projects/\(grant.project.id)/runs/\(run.id)/comments"
        let row = ReviewModel.ImageRow(
            image: image, run: run, score: nil, verdict: "", heatmapLabels: heatmaps.map(\.label), keywords: [],
            promptSuggestion: nil, regionsVersion: nil, regionsWithoutHeatmap: [], comments: comments)
        var values = DesignPageValues.projectValues(grant)
        values["version"] = ReviewValues.versionValues(version)
        values["row"] = ReviewValues.rowValues(row, projectID: grant.project.id, returnTo: pageURL)
        if let error { values["error"] = error }
        return services.views.renderPage(
            "review/comments", title: "Comments · \(image.fileName)", values: values, context: context, status: status)
    }
}
