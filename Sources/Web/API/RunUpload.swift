import Engine
import Foundation
import Storage

/// Validates an upload form (API or browser) and stores the run with its heatmaps; the run is enqueued for
/// scoring in the same transaction. Fields: `prompt_version_id`, `image_id`, `model` (or `model_name`),
/// `description`, `latency_ms`, optional `run_id` (store a new revision of that run), heatmap files.
public struct RunUpload: Sendable {
    let services: AppServices

    public init(services: AppServices) {
        self.services = services
    }

    public func createRun(form: MultipartForm, projectID: Project.ID, userID: User.ID, source: RunSource) async throws
        -> Run
    {
        let latency: Int?
        if let text = form.field("latency_ms") {
            guard let value = Double(text), value.isFinite, value >= 0, value <= Double(Int32.max) else {
                throw APIError.invalidRequest("latency_ms must be a non-negative number of milliseconds.")
            }
            latency = Int(value.rounded())
        } else {
            latency = nil
        }
        let model = form.field("model") ?? form.field("model_name")
        let description = form.parts.first { $0.name == "description" && $0.fileName == nil }
            .map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
        // Heatmaps are read (and rejected) before anything is stored.
        let heatmaps = try HeatmapUploads.readHeatmaps(form)

        if let rawRun = form.field("run_id") {
            guard let runID = Run.ID(rawRun), let base = try await services.runs.findRun(id: runID),
                base.projectID == projectID
            else { throw APIError.notFound("No run \(rawRun) in this project.") }
            guard !heatmaps.isEmpty || description != nil || model != nil || latency != nil else {
                throw APIError.invalidRequest("A new revision needs at least one heatmap or a changed field.")
            }
            return try await services.runs.createRevision(
                of: runID, heatmaps: heatmaps, description: description, modelName: model, latencyMs: latency,
                source: source, createdBy: userID)
        }
        guard let rawPrompt = form.field("prompt_version_id") else {
            throw APIError.invalidRequest("prompt_version_id is required.")
        }
        guard let promptID = PromptVersion.ID(rawPrompt), let prompt = try await services.prompts.findPromptVersion(id: promptID),
            prompt.projectID == projectID
        else { throw APIError.notFound("No prompt version \(rawPrompt) in this project.") }
        guard let rawImage = form.field("image_id") else { throw APIError.invalidRequest("image_id is required.") }
        guard let imageID = Image.ID(rawImage), let image = try await services.images.findImage(id: imageID),
            image.projectID == projectID
        else { throw APIError.notFound("No image \(rawImage) in this project.") }
        guard !heatmaps.isEmpty else {
            throw APIError.invalidRequest("Attach at least one heatmap file (.npy, PNG or JSON), one per keyword.")
        }
        return try await services.runs.createRun(
            NewRun(
                projectID: projectID, promptVersionID: prompt.id, imageID: image.id, modelName: model ?? "",
                description: description, latencyMs: latency, source: source, createdBy: userID),
            heatmaps: heatmaps)
    }
}
