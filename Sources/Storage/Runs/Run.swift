import Foundation

/// One model run: for one prompt version and one image, the model's description (and latency) plus one heatmap
/// per keyword. Re-uploading keywords creates the next *revision* of the run (same `lineageID`); earlier revisions
/// stay stored with their heatmaps and scores.
public struct Run: Sendable, Equatable, Codable {
    /// Typed identifier of a run revision.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var projectID: Project.ID
    public var promptVersionID: PromptVersion.ID
    public var imageID: Image.ID
    /// The id of the run's first revision, shared by all its revisions.
    public var lineageID: ID
    /// 1, 2, 3, … per lineage.
    public var revision: Int
    public var modelName: String
    /// The model's generated description; `nil` when none was given.
    public var description: String?
    public var latencyMs: Int?
    public var source: RunSource
    public var createdBy: User.ID?
    public var createdByName: String?
    public var createdAt: Date

    public init(
        id: ID, projectID: Project.ID, promptVersionID: PromptVersion.ID, imageID: Image.ID, lineageID: ID,
        revision: Int, modelName: String, description: String?, latencyMs: Int?, source: RunSource,
        createdBy: User.ID?, createdByName: String?, createdAt: Date
    ) {
        self.id = id
        self.projectID = projectID
        self.promptVersionID = promptVersionID
        self.imageID = imageID
        self.lineageID = lineageID
        self.revision = revision
        self.modelName = modelName
        self.description = description
        self.latencyMs = latencyMs
        self.source = source
        self.createdBy = createdBy
        self.createdByName = createdByName
        self.createdAt = createdAt
    }
}
