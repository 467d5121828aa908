/// What a new run records besides its heatmaps.
public struct NewRun: Sendable {
    public var projectID: Project.ID
    public var promptVersionID: PromptVersion.ID
    public var imageID: Image.ID
    public var modelName: String
    public var description: String?
    public var latencyMs: Int?
    public var source: RunSource
    public var createdBy: User.ID?

    public init(
        projectID: Project.ID, promptVersionID: PromptVersion.ID, imageID: Image.ID, modelName: String,
        description: String?, latencyMs: Int?, source: RunSource, createdBy: User.ID?
    ) {
        self.projectID = projectID
        self.promptVersionID = promptVersionID
        self.imageID = imageID
        self.modelName = modelName
        self.description = description
        self.latencyMs = latencyMs
        self.source = source
        self.createdBy = createdBy
    }
}
