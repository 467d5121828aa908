import Engine
import Foundation
import Hummingbird
import Storage
import VisionModel

/// Built-in Grad-CAM (EfficientNet-Lite0) as a heatmap source: the per-image form (focus regions with their
/// ImageNet classes, prompt version, layer), the project-wide form used when creating runs, and the progress page
/// of each job. Only engineers (and administrators) may start jobs (`runScoring`); everyone in the project may
/// watch them. Jobs are computed in the background by `BuiltInHeatmapWorker`.
public struct BuiltInHeatmapsController: Sendable {
    let services: AppServices
    let access: ProjectAccess
    let builtIn: BuiltInHeatmapService
    let jobs: BuiltInJobRepository

    public init(services: AppServices, builtIn: BuiltInHeatmapService) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
        self.builtIn = builtIn
        self.jobs = BuiltInJobRepository(client: services.client, logger: services.runs.logger)
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/images/:image/builtin") { _, context in
            let (grant, image) = try await authorizeImage(.viewProject, context: context)
            return try await renderImagePage(grant, image: image, context: context)
        }
        group.post("/projects/:project/images/:image/builtin") { request, context in
            let (grant, image) = try await authorizeImage(.runScoring, context: context)
            let form = try await URLEncodedFormDecoder().decode([String: String].self, from: request, context: context)
            do {
                let job = try await enqueueImageJob(form, grant: grant, image: image)
                return Response.redirect(to: "/projects/\(grant.project.id)/builtin/jobs/\(job.id)", type: .normal)
            } catch let error as BuiltInHeatmapError {
                return try await renderImagePage(
                    grant, image: image, context: context, form: form, error: error.message,
                    status: Self.status(for: error))
            }
        }
        group.get("/projects/:project/builtin") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let queued = request.uri.queryParameters.get("queued").flatMap { Int($0) }
            return try await renderProjectPage(grant, context: context, queued: queued)
        }
        group.post("/projects/:project/builtin") { request, context in
            let grant = try await access.authorize(.runScoring, projectID: context.parameters.get("project"), context: context)
            let form = try await URLEncodedFormDecoder().decode([String: String].self, from: request, context: context)
            do {
                let queued = try await enqueueProjectJobs(form, grant: grant)
                return Response.redirect(to: "/projects/\(grant.project.id)/builtin?queued=\(queued)", type: .normal)
            } catch let error as BuiltInHeatmapError {
                return try await renderProjectPage(
                    grant, context: context, form: form, error: error.message, status: Self.status(for: error))
            }
        }
        group.get("/projects/:project/builtin/jobs/:job") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let job = try await findJob(grant, context: context)
            if request.uri.queryParameters.get("format") == "json"
                || (request.headers[.accept] ?? "").contains("application/json")
            {
                return try await renderJobJSON(job)
            }
            return try await renderJobPage(grant, job: job, context: context)
        }
    }

    static func status(for error: BuiltInHeatmapError) -> HTTPResponse.Status {
        error.kind == .unavailable ? .serviceUnavailable : .unprocessableContent
    }

    // MARK: Enqueueing

    /// Validates the per-image form and queues one job. Fields: `prompt_version_id`, `layer` (`head`|`stage5`),
    /// `description`, and `class_<i>` per focus region `i` (absent everywhere = automatic matching).
    func enqueueImageJob(_ form: [String: String], grant: ProjectAccess.Grant, image: Image) async throws -> BuiltInJob {
        if case .unavailable(let reason) = await builtIn.checkAvailability() {
            throw BuiltInHeatmapError(.unavailable, reason)
        }
        let prompt = try await resolvePrompt(form, grant: grant)
        let layer = try Self.resolveLayer(form)
        let regions = BuiltInRegionMatch.listFocusRegions(
            try await services.regions.findCurrentRegionVersion(imageID: image.id))
        var choices: [Int: String]?
        for (key, value) in form where key.hasPrefix("class_") {
            guard let index = Int(key.dropFirst(6)), regions.indices.contains(index) else { continue }
            choices = choices ?? [:]
            choices?[index] = value
        }
        let targets = try BuiltInRegionMatch.resolveTargets(regions, choices: choices)
        return try await jobs.enqueueJob(
            projectID: grant.project.id, imageID: image.id, promptVersionID: prompt.id, layer: layer, targets: targets,
            description: Self.resolveDescription(form), createdBy: grant.user.id)
    }

    /// The project-wide form ("create runs with built-in Grad-CAM"): `prompt_version_id`, `layer`, `description`
    /// and `image_<id>=on` per chosen image (automatic matching); images without a matching focus region are
    /// skipped. Returns how many jobs were queued.
    func enqueueProjectJobs(_ form: [String: String], grant: ProjectAccess.Grant) async throws -> Int {
        if case .unavailable(let reason) = await builtIn.checkAvailability() {
            throw BuiltInHeatmapError(.unavailable, reason)
        }
        let prompt = try await resolvePrompt(form, grant: grant)
        let layer = try Self.resolveLayer(form)
        let chosen = Set(form.keys.filter { $0.hasPrefix("image_") }.compactMap { Image.ID(String($0.dropFirst(6))) })
        guard !chosen.isEmpty else { throw BuiltInHeatmapError(.invalidRequest, "Choose at least one image.") }
        let images = try await services.images.listImages(projectID: grant.project.id).filter { chosen.contains($0.id) }
        var planned: [(Image, [BuiltInTarget])] = []
        for image in images {
            let regions = BuiltInRegionMatch.listFocusRegions(
                try await services.regions.findCurrentRegionVersion(imageID: image.id))
            if let targets = try? BuiltInRegionMatch.resolveTargets(regions, choices: nil) {
                planned.append((image, targets))
            }
        }
        guard !planned.isEmpty else {
            throw BuiltInHeatmapError(
                .noTargets,
                "None of the chosen images has a focus region whose label or alias is an ImageNet class; choose classes on an image's built-in Grad-CAM page.")
        }
        let description = Self.resolveDescription(form)
        for (image, targets) in planned {
            _ = try await jobs.enqueueJob(
                projectID: grant.project.id, imageID: image.id, promptVersionID: prompt.id, layer: layer,
                targets: targets, description: description, createdBy: grant.user.id)
        }
        return planned.count
    }

    func resolvePrompt(_ form: [String: String], grant: ProjectAccess.Grant) async throws -> PromptVersion {
        guard let raw = form["prompt_version_id"], !raw.isEmpty else {
            throw BuiltInHeatmapError(.invalidRequest, "Choose the prompt version the run belongs to.")
        }
        guard let id = PromptVersion.ID(raw), let prompt = try await services.prompts.findPromptVersion(id: id),
            prompt.projectID == grant.project.id
        else { throw BuiltInHeatmapError(.invalidRequest, "That prompt version is not in this project.") }
        return prompt
    }

    static func resolveLayer(_ form: [String: String]) throws(BuiltInHeatmapError) -> GradCAMLayer {
        let raw = (form["layer"] ?? "").trimmingCharacters(in: .whitespaces)
        if raw.isEmpty { return .head }
        guard let layer = GradCAMLayer(rawValue: raw) else {
            throw BuiltInHeatmapError(.invalidRequest, "The layer must be 'head' (7×7) or 'stage5' (14×14).")
        }
        return layer
    }

    static func resolveDescription(_ form: [String: String]) -> String? {
        let text = (form["description"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : String(text.prefix(100_000))
    }

    // MARK: Lookups

    func authorizeImage(_ action: ProjectAction, context: AppRequestContext) async throws -> (ProjectAccess.Grant, Image) {
        let grant = try await access.authorize(action, projectID: context.parameters.get("project"), context: context)
        guard let imageID = context.parameters.get("image").flatMap(Image.ID.init),
            let image = try await services.images.findImage(id: imageID), image.projectID == grant.project.id
        else { throw HTTPError(.notFound, message: "No such image.") }
        return (grant, image)
    }

    func findJob(_ grant: ProjectAccess.Grant, context: AppRequestContext) async throws -> BuiltInJob {
        guard let id = context.parameters.get("job").flatMap({ Int64($0) }), let job = try await jobs.findJob(id: id),
            job.projectID == grant.project.id
        else { throw HTTPError(.notFound, message: "No such built-in Grad-CAM job.") }
        return job
    }

    // MARK: Pages

    func commonValues(_ grant: ProjectAccess.Grant) async -> [String: Any] {
        var values = DesignPageValues.projectValues(grant)
        let availability = await builtIn.checkAvailability()
        values["available"] = availability.isAvailable
        values["unavailableReason"] = availability.reason ?? ""
        values["canRun"] = grant.allows(.runScoring)
        values["enabled"] = availability.isAvailable && grant.allows(.runScoring)
        values["modelName"] = BuiltInHeatmapService.modelName
        return values
    }

    func promptValues(_ grant: ProjectAccess.Grant, selected: String?) async throws -> [[String: Any]] {
        let prompts = try await services.prompts.listLatestPromptVersions(projectID: grant.project.id)
        return prompts.enumerated().map { index, prompt in
            [
                "id": prompt.id.description, "label": "\(prompt.name) (v\(prompt.version))",
                "selected": selected.map { $0 == prompt.id.description } ?? (index == 0),
            ]
        }
    }

    static func layerValues(selected: String?) -> [[String: Any]] {
        [
            ["value": "head", "label": "head — 7×7, the last convolution (default)", "selected": selected != "stage5"],
            ["value": "stage5", "label": "stage5 — 14×14, block 10 (finer)", "selected": selected == "stage5"],
        ]
    }

    func jobValues(_ job: BuiltInJob, projectID: Project.ID) -> [String: Any] {
        [
            "id": job.id, "url": "/projects/\(projectID)/builtin/jobs/\(job.id)", "status": job.status.rawValue,
            "statusText": Self.describeStatus(job), "isOpen": job.status.isOpen, "isDone": job.status == .done,
            "isFailed": job.status == .failed, "error": job.lastError ?? "", "layer": job.layer.rawValue,
            "when": DesignPageValues.formatDate(job.createdAt),
            "targets": job.targets.map { "\($0.label) → \($0.className)" }.joined(separator: "; "),
            "runID": job.runID?.description ?? "",
        ]
    }

    static func describeStatus(_ job: BuiltInJob) -> String {
        switch job.status {
        case .pending: "queued"
        case .running: "computing"
        case .done: "heatmaps stored"
        case .failed: "failed"
        }
    }

    func renderImagePage(
        _ grant: ProjectAccess.Grant, image: Image, context: AppRequestContext, form: [String: String] = [:],
        error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var values = await commonValues(grant)
        values["image"] = DesignPageValues.imageValues(image, projectID: grant.project.id, currentVersion: nil)
        let regions = BuiltInRegionMatch.listFocusRegions(
            try await services.regions.findCurrentRegionVersion(imageID: image.id))
        let submitted = form.keys.contains { $0.hasPrefix("class_") }
        values["regions"] = regions.enumerated().map { index, region -> [String: Any] in
            let matched = region.matchedClass.flatMap { ImageNetClasses.name(of: $0) }
            return [
                "index": index, "label": region.label, "aliases": region.aliases.joined(separator: ", "),
                "hasAliases": !region.aliases.isEmpty, "matched": matched ?? "", "isMatched": matched != nil,
                "value": submitted ? (form["class_\(index)"] ?? "") : (matched ?? ""),
            ]
        }
        values["hasRegions"] = !regions.isEmpty
        let prompts = try await promptValues(grant, selected: form["prompt_version_id"])
        values["prompts"] = prompts
        values["hasPrompts"] = !prompts.isEmpty
        values["layers"] = Self.layerValues(selected: form["layer"])
        values["description"] = form["description"] ?? ""
        values["classNames"] = ImageNetClasses.names
        let jobs = try await jobs.listJobs(imageID: image.id)
        values["jobs"] = jobs.map { jobValues($0, projectID: grant.project.id) }
        values["hasJobs"] = !jobs.isEmpty
        values["refresh"] = jobs.contains { $0.status.isOpen }
        if let error { values["error"] = error }
        return services.views.renderPage(
            "builtin/image", title: "Built-in Grad-CAM · \(image.fileName)", values: values, context: context,
            status: status)
    }

    func renderProjectPage(
        _ grant: ProjectAccess.Grant, context: AppRequestContext, form: [String: String] = [:], error: String? = nil,
        status: HTTPResponse.Status = .ok, queued: Int? = nil
    ) async throws -> Response {
        var values = await commonValues(grant)
        let images = try await services.images.listImages(projectID: grant.project.id)
        var rows: [[String: Any]] = []
        for image in images {
            let regions = BuiltInRegionMatch.listFocusRegions(
                try await services.regions.findCurrentRegionVersion(imageID: image.id))
            let matched = regions.compactMap { region in
                region.matchedClass.flatMap { ImageNetClasses.name(of: $0) }.map { "\(region.label) → \($0)" }
            }
            rows.append([
                "id": image.id.description, "fileName": image.fileName.isEmpty ? "(no name)" : image.fileName,
                "url": "/projects/\(grant.project.id)/images/\(image.id)/builtin", "matches": matched.joined(separator: "; "),
                "isMatched": !matched.isEmpty, "checked": form.isEmpty ? !matched.isEmpty : form["image_\(image.id)"] != nil,
            ])
        }
        values["images"] = rows
        values["hasImages"] = !rows.isEmpty
        let prompts = try await promptValues(grant, selected: form["prompt_version_id"])
        values["prompts"] = prompts
        values["hasPrompts"] = !prompts.isEmpty
        values["layers"] = Self.layerValues(selected: form["layer"])
        values["description"] = form["description"] ?? ""
        let jobs = try await jobs.listJobs(projectID: grant.project.id)
        values["jobs"] = jobs.map { jobValues($0, projectID: grant.project.id) }
        values["hasJobs"] = !jobs.isEmpty
        values["refresh"] = jobs.contains { $0.status.isOpen }
        if let error { values["error"] = error }
        if let queued, error == nil {
            values["notice"] = "\(queued) job(s) queued: the heatmaps are computed in the background, then scored."
        }
        return services.views.renderPage(
            "builtin/project", title: "Built-in Grad-CAM · \(grant.project.name)", values: values, context: context,
            status: status)
    }

    func renderJobPage(_ grant: ProjectAccess.Grant, job: BuiltInJob, context: AppRequestContext) async throws -> Response {
        var values = await commonValues(grant)
        values["job"] = jobValues(job, projectID: grant.project.id)
        if let image = try await services.images.findImage(id: job.imageID) {
            values["image"] = DesignPageValues.imageValues(image, projectID: grant.project.id, currentVersion: nil)
        }
        if let prompt = try await services.prompts.findPromptVersion(id: job.promptVersionID) {
            values["prompt"] = "\(prompt.name) (v\(prompt.version))"
        }
        var refresh = job.status.isOpen
        if let runID = job.runID {
            let score = try await services.scoring.findLatestScore(runID: runID)
            let scoring = try await services.scoring.isBeingScored(runID: runID)
            refresh = refresh || (score == nil && scoring)
            let heatmaps = try await services.runs.listHeatmaps(runID: runID)
            var run: [String: Any] = [
                "id": runID.description, "url": "/projects/\(grant.project.id)/runs/\(runID)",
                "verdict": score?.verdict ?? "", "isScored": score != nil, "isScoring": score == nil && scoring,
                "heatmaps": heatmaps.map { ["label": $0.label, "size": "\($0.width)×\($0.height)", "source": $0.source.rawValue, "detail": $0.fileName] },
            ]
            // Only a run the engine could not score has an error (an empty string would still open the section).
            if let message = score?.errorMessage, !message.isEmpty { run["errorMessage"] = message }
            values["run"] = run
        }
        values["refresh"] = refresh
        return services.views.renderPage(
            "builtin/job", title: "Built-in Grad-CAM job \(job.id)", values: values, context: context)
    }

    func renderJobJSON(_ job: BuiltInJob) async throws -> Response {
        var members: [(String, JSONValue)] = [
            ("id", .number(Double(job.id))), ("status", .string(job.status.rawValue)),
            ("layer", .string(job.layer.rawValue)),
            ("targets", .array(job.targets.map {
                .object([("label", .string($0.label)), ("class_index", .number(Double($0.classIndex))),
                         ("class_name", .string($0.className))])
            })),
            ("error", job.lastError.map(JSONValue.string) ?? .null),
            ("run_id", job.runID.map { .string($0.description) } ?? .null),
        ]
        if let runID = job.runID {
            let score = try await services.scoring.findLatestScore(runID: runID)
            members.append(("verdict", score.map { .string($0.verdict) } ?? .null))
            members.append(("being_scored", .bool(try await services.scoring.isBeingScored(runID: runID))))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: JSONWriter.serialize(.object(members)))))
    }
}
