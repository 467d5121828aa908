import Engine
import Foundation
import Hummingbird
import Storage

/// Browser pages for runs: the upload form, the scored run page with its engine-rendered panels, and the list of
/// an image's runs.
public struct RunsController: Sendable {
    let services: AppServices
    let access: ProjectAccess
    let overlays: OverlayService

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
        self.overlays = OverlayService(scoring: services.scoring, images: services.images)
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/runs/new") { request, context in
            let grant = try await access.authorize(.runScoring, projectID: context.parameters.get("project"), context: context)
            return try await renderForm(
                grant, context: context, imageID: request.uri.queryParameters.get("image"),
                promptID: request.uri.queryParameters.get("prompt"))
        }
        group.post("/projects/:project/runs") { request, context in
            let grant = try await access.authorize(.runScoring, projectID: context.parameters.get("project"), context: context)
            let form = try await MultipartForm.parse(request, limit: context.maxUploadSize)
            do {
                let run = try await RunUpload(services: services).createRun(
                    form: form, projectID: grant.project.id, userID: grant.user.id, source: .browser)
                return Response.redirect(to: "/projects/\(grant.project.id)/runs/\(run.id)", type: .normal)
            } catch let error as APIError where error.status != .internalServerError {
                return try await renderFormError(grant, form: form, message: error.message, context: context)
            } catch let error as EngineError {
                return try await renderFormError(
                    grant, form: form, message: "\(error.code.rawValue): \(error.message)", context: context)
            } catch StorageError.invalidValue(let message) {
                return try await renderFormError(grant, form: form, message: message, context: context)
            } catch StorageError.notFound(let message) {
                return try await renderFormError(grant, form: form, message: "Not found: \(message)", context: context)
            }
        }
        group.get("/projects/:project/runs/:run") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let run = try await findRun(context.parameters.get("run"), grant: grant)
            return try await renderRun(grant, run: run, context: context)
        }
        group.get("/projects/:project/runs/:run/panel.png") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let run = try await findRun(context.parameters.get("run"), grant: grant)
            guard let slug = request.uri.queryParameters.get("panel"), let panel = OverlayPanel(slug: slug) else {
                throw HTTPError(.badRequest, message: "Unknown panel.")
            }
            let label = request.uri.queryParameters.get("label") ?? ""
            do {
                guard let png = try await overlays.fetchPanelPNG(runID: run.id, label: label, panel: panel) else {
                    throw HTTPError(.notFound, message: "No such heatmap.")
                }
                return Response(
                    status: .ok,
                    headers: [.contentType: "image/png", .cacheControl: "private, max-age=300"],
                    body: .init(byteBuffer: png))
            } catch let error as EngineError {
                throw HTTPError(.unprocessableContent, message: "\(error.code.rawValue): \(error.message)")
            }
        }
        group.get("/projects/:project/images/:image/runs") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            guard let imageID = context.parameters.get("image").flatMap(Image.ID.init),
                let image = try await services.images.findImage(id: imageID), image.projectID == grant.project.id
            else { throw HTTPError(.notFound, message: "No such image.") }
            let runs = try await services.runs.listRuns(imageID: image.id)
            let scores = try await services.scoring.listLatestScores(projectID: grant.project.id)
            let pending = try await services.scoring.listRunsBeingScored(projectID: grant.project.id)
            let prompts = Dictionary(
                try await services.prompts.listPromptVersions(projectID: grant.project.id).map { ($0.id, $0) },
                uniquingKeysWith: { first, _ in first })
            let rows = runs.map { run in
                RunPageValues.runRow(
                    run, prompt: prompts[run.promptVersionID], image: image,
                    status: RunPageValues.status(score: scores[run.id], beingScored: pending.contains(run.id)))
            }
            var values = RunPageValues.project(grant)
            values["image"] = ["id": image.id.description, "fileName": image.fileName, "width": image.width, "height": image.height]
            values["runs"] = rows
            values["hasRuns"] = !rows.isEmpty
            values["scoring"] = runs.contains { pending.contains($0.id) || scores[$0.id] == nil }
            return services.views.renderPage(
                "runs/image", title: "Runs · \(image.fileName)", values: values, context: context)
        }
    }

    func findRun(_ rawID: String?, grant: ProjectAccess.Grant) async throws -> Run {
        guard let rawID, let id = Run.ID(rawID), let run = try await services.runs.findRun(id: id),
            run.projectID == grant.project.id
        else { throw HTTPError(.notFound, message: "No such run.") }
        return run
    }

    func renderForm(
        _ grant: ProjectAccess.Grant, context: AppRequestContext, imageID: String?, promptID: String?,
        values extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let prompts = try await services.prompts.listPromptVersions(projectID: grant.project.id)
        let images = try await services.images.listImages(projectID: grant.project.id)
        var values = RunPageValues.project(grant)
        let chosenPrompt = promptID ?? prompts.first?.id.description
        values["prompts"] = prompts.map { version -> [String: Any] in
            ["id": version.id.description, "name": version.name, "version": version.version,
             "selected": version.id.description == chosenPrompt]
        }
        values["images"] = images.map { image -> [String: Any] in
            ["id": image.id.description, "fileName": image.fileName, "selected": image.id.description == imageID]
        }
        values["hasPrompts"] = !prompts.isEmpty
        values["hasImages"] = !images.isEmpty
        values["keywordRows"] = (0..<4).map { ["index": $0] }
        values["model"] = ""
        values["description"] = ""
        values["latency"] = ""
        for (key, value) in extra { values[key] = value }
        return services.views.renderPage(
            "runs/new", title: "New run · \(grant.project.name)", values: values, context: context, status: status)
    }

    func renderFormError(_ grant: ProjectAccess.Grant, form: MultipartForm, message: String, context: AppRequestContext)
        async throws -> Response
    {
        try await renderForm(
            grant, context: context, imageID: form.field("image_id"), promptID: form.field("prompt_version_id"),
            values: [
                "error": message, "model": form.field("model") ?? "", "description": form.field("description") ?? "",
                "latency": form.field("latency_ms") ?? "",
            ], status: .badRequest)
    }

    func renderRun(_ grant: ProjectAccess.Grant, run: Run, context: AppRequestContext) async throws -> Response {
        let projectID = grant.project.id
        guard let image = try await services.images.findImage(id: run.imageID) else {
            throw HTTPError(.notFound, message: "The run's image is gone.")
        }
        let prompt = try await services.prompts.findPromptVersion(id: run.promptVersionID)
        let heatmaps = try await services.runs.listHeatmaps(runID: run.id)
        let score = try await services.scoring.findLatestScore(runID: run.id)
        let beingScored = try await services.scoring.isBeingScored(runID: run.id)
        let revisions = try await services.runs.listRevisions(lineageID: run.lineageID)
        let regionVersion = try await services.regions.findCurrentRegionVersion(imageID: run.imageID)
        let status = RunPageValues.status(score: score, beingScored: beingScored)

        var values = RunPageValues.project(grant)
        values["run"] = RunPageValues.runRow(run, prompt: prompt, image: image, status: status)
        values["verdict"] = RunPageValues.verdict(status)
        values["beingScored"] = beingScored || score == nil
        values["prompt"] = prompt.map(RunPageValues.promptVersion) ?? [:]
        values["image"] = ["id": image.id.description, "fileName": image.fileName, "width": image.width, "height": image.height]
        values["revisions"] = revisions.map { revision -> [String: Any] in
            ["id": revision.id.description, "revision": revision.revision, "createdAt": RunPageValues.date(revision.createdAt),
             "isCurrent": revision.id == run.id]
        }
        values["hasRevisions"] = revisions.count > 1
        let base = "/projects/\(projectID)/runs/\(run.id)/panel.png"
        values["panels"] = heatmaps.map { heatmap -> [String: Any] in
            let label = heatmap.label.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let url = "\(base)?label=\(label)&panel="
            return [
                "label": heatmap.label, "width": heatmap.width, "height": heatmap.height,
                "sha256": String(heatmap.sha256.prefix(12)), "fileName": heatmap.fileName,
                "baseURL": url, "originalURL": url + "original-outlines", "heatmapURL": url + "heatmap-jet-outlines",
                "overlayURL": url + "overlay-jet-outlines",
            ]
        }

        // Description with highlighted labels, and the diagnosis tables.
        var regionRows: [[String: Any]] = []
        var missing: [String] = []
        var names: [(label: String, name: String)] = []
        if let version = regionVersion, let regions = try? RunScoring.parseRegions(version) {
            for group in regions.groups where group.kind == .focus {
                names.append((group.label, group.label))
                for alias in group.aliases { names.append((group.label, alias)) }
            }
        }
        if let score {
            values["score"] = [
                "engineVersion": score.engineVersion, "scoredAt": RunPageValues.date(score.scoredAt),
                "regionVersion": regionVersion.flatMap { $0.id == score.regionVersionID ? "v\($0.version)" : nil }
                    ?? "an earlier version",
                "thresholds": score.thresholdsJSON,
            ] as [String: Any]
            if let code = score.errorCode {
                values["scoreError"] = ["code": code, "message": score.errorMessage ?? ""]
            }
            if let text = score.diagnosisJSON, let diagnosis = try? JSONParser.parse(text) {
                for (label, entry) in diagnosis["attention_diagnosis"]?.objectValue ?? [] {
                    regionRows.append(regionRow(label: label, entry: entry))
                    if entry["mentioned"]?.boolValue == false { missing.append(label) }
                }
                values["suggestions"] = (diagnosis["suggestions"]?.arrayValue ?? []).map { item -> [String: Any] in
                    ["label": item["label"]?.stringValue ?? "all regions", "drift": item["drift"]?.stringValue ?? "—",
                     "technique": item["technique"]?.stringValue ?? "—", "text": item["text"]?.stringValue ?? ""]
                }
                values["hasSuggestions"] = !(diagnosis["suggestions"]?.arrayValue ?? []).isEmpty
                values["promptSuggestion"] = diagnosis["prompt_suggestion"]?.stringValue ?? ""
                let unmatched = (diagnosis["unmatched_heatmaps"]?.arrayValue ?? []).compactMap(\.stringValue)
                values["unmatched"] = unmatched.joined(separator: ", ")
                values["hasUnmatched"] = !unmatched.isEmpty
            }
        }
        values["regions"] = regionRows
        values["hasRegions"] = !regionRows.isEmpty
        values["missingLabels"] = missing.map { ["label": $0] }
        values["hasMissing"] = !missing.isEmpty
        if let description = run.description {
            values["descriptionSegments"] = RunPageValues.highlightSegments(description, names: names)
            values["hasDescription"] = true
        }
        return services.views.renderPage(
            "runs/show", title: "Run · \(image.fileName)", values: values, context: context)
    }

    func regionRow(label: String, entry: JSONValue) -> [String: Any] {
        let metrics = entry["metrics"]
        let thresholds = entry["thresholds"]
        let isAvoid = entry["kind"]?.stringValue == "avoid"
        let energy = entry["concentration_score"]?.numberValue
        let coverage = metrics?["coverage"]?.numberValue
        let minEnergy = thresholds?["min_energy"]?.numberValue
        let minCoverage = thresholds?["min_coverage"]?.numberValue
        let maxEnergy = thresholds?["max_energy"]?.numberValue
        func mark(_ ok: Bool?) -> String { ok.map { $0 ? "✓" : "✗" } ?? "" }
        let energyOK: Bool? = energy.flatMap { e in isAvoid ? maxEnergy.map { e <= $0 } : minEnergy.map { e >= $0 } }
        let coverageOK: Bool? = isAvoid ? nil : coverage.flatMap { c in minCoverage.map { c >= $0 } }
        let mentioned = entry["mentioned"]
        return [
            "label": label, "kind": isAvoid ? "avoid" : "focus",
            "verdict": RunPageValues.verdict(entry["verdict"]?.stringValue ?? "fail"),
            "drift": entry["drift"]?.stringValue ?? "", "direction": entry["region"]?.stringValue ?? "—",
            "heatmap": entry["leak_from"]?.stringValue ?? "",
            "energy": RunPageValues.format(energy), "energyMark": mark(energyOK),
            "energyThreshold": isAvoid ? "≤ \(RunPageValues.format(maxEnergy, digits: 2))" : "≥ \(RunPageValues.format(minEnergy, digits: 2))",
            "coverage": RunPageValues.format(coverage), "coverageMark": mark(coverageOK),
            "coverageThreshold": isAvoid ? "" : "≥ \(RunPageValues.format(minCoverage, digits: 2))",
            "iou": RunPageValues.format(metrics?["iou"]?.numberValue),
            "hotArea": RunPageValues.format(metrics?["hot_area"]?.numberValue),
            "pointing": metrics?["pointing_game"]?.boolValue.map { $0 ? "hit" : "miss" } ?? "—",
            "rank": RunPageValues.format(metrics?["rank_accuracy"]?.numberValue),
            "auc": RunPageValues.format(metrics?["auc"]?.numberValue),
            "spread": RunPageValues.format(metrics?["spread"]?.numberValue),
            "mentioned": mentioned?.boolValue.map { $0 ? "yes" : "no" } ?? "—",
            "notMentioned": mentioned?.boolValue == false,
        ]
    }
}
