import Storage
import VisionModel

extension BuiltInHeatmapWorker {
    /// Computes a built-in run right now, in the caller's task (demo seeding, scripts): every focus region of the
    /// image's current regions whose label or alias is an ImageNet class gets its Grad-CAM map; the run (source
    /// `builtin`) is stored and queued for scoring like any other. The job is recorded in `builtin_heatmap_jobs`
    /// as usual. Throws `BuiltInHeatmapError` when the model is unavailable or no region matches; returns the
    /// run's id.
    public func computeRun(
        projectID: Project.ID, imageID: Image.ID, promptVersionID: PromptVersion.ID, layer: GradCAMLayer = .head,
        description: String? = nil, createdBy: User.ID? = nil
    ) async throws -> Run.ID {
        if case .unavailable(let reason) = await service.checkAvailability() {
            throw BuiltInHeatmapError(.unavailable, reason)
        }
        let regions = try await RegionRepository(client: jobs.client, logger: logger)
            .findCurrentRegionVersion(imageID: imageID)
        let targets = try BuiltInRegionMatch.resolveTargets(BuiltInRegionMatch.listFocusRegions(regions), choices: nil)
        let job = try await jobs.enqueueJob(
            projectID: projectID, imageID: imageID, promptVersionID: promptVersionID, layer: layer, targets: targets,
            description: description, createdBy: createdBy)
        _ = try await processNextJob(jobID: job.id)
        // Another worker may have claimed it first: wait for it to finish.
        var current = try await jobs.findJob(id: job.id)
        while let open = current, open.status.isOpen {
            try await Task.sleep(for: .milliseconds(100))
            current = try await jobs.findJob(id: job.id)
        }
        guard let done = current, let runID = done.runID else {
            throw BuiltInHeatmapError(
                .computationFailed, "No built-in run was stored: \(current?.lastError ?? "the job disappeared")")
        }
        return runID
    }
}
