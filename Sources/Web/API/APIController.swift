import Engine
import Foundation
import Hummingbird
import Storage

/// The token API under `/api/v1` (JSON, `Authorization: Bearer`), described by `/api/v1/openapi.json`.
public struct APIController: Sendable {
    let services: AppServices
    let access: APIAccess
    let openAPIPath: String

    public init(services: AppServices, staticDirectory: String) {
        self.services = services
        self.access = APIAccess(tokens: services.tokens, users: services.users, projects: services.projects)
        self.openAPIPath = (staticDirectory as NSString).appendingPathComponent("openapi.json")
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        let api = router.group("/api/v1").add(middleware: APIErrorMiddleware())
        api.get("/openapi.json") { _, _ in
            guard let data = FileManager.default.contents(atPath: openAPIPath) else {
                throw APIError.notFound("The OpenAPI document is missing on this server.")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        api.get("/projects/:project/images") { request, context in
            let caller = try await access.authenticate(request, for: .viewProject, projectID: context.parameters.get("project"))
            let images = try await services.images.listImages(projectID: caller.project.id)
            let versions = try await services.regions.listCurrentRegionVersions(projectID: caller.project.id)
            let byImage = Dictionary(versions.map { ($0.imageID, $0) }, uniquingKeysWith: { first, _ in first })
            return APIResponse.json(.object([("images", .array(images.map { APIViews.image($0, regions: byImage[$0.id]) }))]))
        }
        api.get("/projects/:project/prompt-versions") { request, context in
            let caller = try await access.authenticate(request, for: .viewProject, projectID: context.parameters.get("project"))
            let versions = try await services.prompts.listPromptVersions(projectID: caller.project.id)
            return APIResponse.json(.object([("prompt_versions", .array(versions.map(APIViews.promptVersion)))]))
        }
        api.post("/projects/:project/prompt-versions") { request, context in
            let caller = try await access.authenticate(request, for: .managePrompts, projectID: context.parameters.get("project"))
            let body = try await request.body.collect(upTo: 1024 * 1024)
            let json = try JSONParser.parse(Array(body.readableBytesView))
            guard let name = json["name"]?.stringValue, let text = json["text"]?.stringValue else {
                throw APIError.invalidRequest("Send {\"name\": …, \"text\": …} (and optionally \"prompt_id\").")
            }
            var promptID: PromptVersion.PromptID?
            if let raw = json["prompt_id"], !raw.isNull {
                guard let value = raw.stringValue.flatMap(PromptVersion.PromptID.init) else {
                    throw APIError.invalidRequest("prompt_id must be a prompt's UUID.")
                }
                promptID = value
            }
            let version = try await services.prompts.createPromptVersion(
                projectID: caller.project.id, promptID: promptID, name: name, text: text, createdBy: caller.user.id)
            return APIResponse.json(APIViews.promptVersion(version), status: .created)
        }
        api.post("/projects/:project/runs") { request, context in
            let caller = try await access.authenticate(request, for: .runScoring, projectID: context.parameters.get("project"))
            let form = try await MultipartForm.parse(request, limit: context.maxUploadSize)
            let run = try await createRun(form: form, projectID: caller.project.id, userID: caller.user.id, source: .api)
            return try await runResponse(run, status: .created)
        }
        api.get("/runs/:run") { request, context in
            let caller = try await access.authenticate(request, for: .viewProject)
            let run = try await findRun(context.parameters.get("run"), caller: caller)
            return try await runResponse(run, status: .ok)
        }
        api.get("/runs/:run/diagnosis") { request, context in
            let caller = try await access.authenticate(request, for: .viewProject)
            let run = try await findRun(context.parameters.get("run"), caller: caller)
            let beingScored = try await services.scoring.isBeingScored(runID: run.id)
            let score = try await services.scoring.findLatestScore(runID: run.id)
            guard !beingScored, let score else {
                var response = APIResponse.json(
                    .object([("status", .string("scoring")), ("run_id", .string(run.id.description))]), status: .accepted)
                response.headers[.retryAfter] = "1"
                return response
            }
            guard let diagnosis = score.diagnosisJSON else {
                throw APIError(
                    .unprocessableContent, code: score.errorCode ?? "not_scored",
                    score.errorMessage ?? "The run could not be scored.")
            }
            return APIResponse.jsonText(diagnosis)
        }
        api.get("/projects/:project/comparison") { request, context in
            let caller = try await access.authenticate(request, for: .viewProject, projectID: context.parameters.get("project"))
            let table = try await ComparisonLoader(services: services).loadTable(projectID: caller.project.id)
            return APIResponse.json(table.jsonValue())
        }
    }

    func findRun(_ rawID: String?, caller: APIAccess.Caller) async throws -> Run {
        guard let rawID, let id = Run.ID(rawID), let run = try await services.runs.findRun(id: id),
            run.projectID == caller.project.id
        else {
            throw APIError.notFound("No such run in this token's project.")
        }
        return run
    }

    func runResponse(_ run: Run, status: HTTPResponse.Status) async throws -> Response {
        let heatmaps = try await services.runs.listHeatmaps(runID: run.id)
        let score = try await services.scoring.findLatestScore(runID: run.id)
        let beingScored = try await services.scoring.isBeingScored(runID: run.id)
        var response = APIResponse.json(
            APIViews.run(run, heatmaps: heatmaps, score: score, beingScored: beingScored), status: status)
        if status == .created { response.headers[.location] = "/api/v1/runs/\(run.id)" }
        return response
    }

    /// Creates a run (or, with `run_id`, the next revision of that run) from an upload form. Shared with the
    /// browser form handler.
    func createRun(form: MultipartForm, projectID: Project.ID, userID: User.ID, source: RunSource) async throws -> Run {
        try await RunUpload(services: services).createRun(form: form, projectID: projectID, userID: userID, source: source)
    }
}
