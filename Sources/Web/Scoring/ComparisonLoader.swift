import Storage

/// Reads what `ComparisonTable` needs for one project.
public struct ComparisonLoader: Sendable {
    let services: AppServices

    public init(services: AppServices) {
        self.services = services
    }

    public func loadTable(projectID: Project.ID) async throws -> ComparisonTable {
        async let versions = services.prompts.listPromptVersions(projectID: projectID)
        async let images = services.images.listImages(projectID: projectID)
        async let runs = services.runs.listRuns(projectID: projectID)
        async let scores = services.scoring.listLatestScores(projectID: projectID)
        async let pending = services.scoring.listRunsBeingScored(projectID: projectID)
        return ComparisonTable.build(
            versions: try await versions, images: try await images, runs: try await runs, scores: try await scores,
            pending: try await pending)
    }
}
