import Foundation
import Storage
import VisionModel

/// One request for built-in Grad-CAM heatmaps: an image, the prompt version the resulting run belongs to, the
/// layer and the region labels with their ImageNet classes. A worker turns it into one run (source `builtin`).
public struct BuiltInJob: Sendable, Equatable {
    public var id: Int64
    public var projectID: Project.ID
    public var imageID: Image.ID
    public var promptVersionID: PromptVersion.ID
    public var layer: GradCAMLayer
    public var targets: [BuiltInTarget]
    /// The run's description (optional).
    public var description: String?
    public var status: BuiltInJobStatus
    /// How many times a worker claimed it.
    public var attempts: Int
    public var lastError: String?
    /// The run it produced (when done).
    public var runID: Run.ID?
    public var createdBy: User.ID?
    public var createdAt: Date
    public var finishedAt: Date?

    public init(
        id: Int64, projectID: Project.ID, imageID: Image.ID, promptVersionID: PromptVersion.ID, layer: GradCAMLayer,
        targets: [BuiltInTarget], description: String?, status: BuiltInJobStatus, attempts: Int, lastError: String?,
        runID: Run.ID?, createdBy: User.ID?, createdAt: Date, finishedAt: Date?
    ) {
        self.id = id
        self.projectID = projectID
        self.imageID = imageID
        self.promptVersionID = promptVersionID
        self.layer = layer
        self.targets = targets
        self.description = description
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.runID = runID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}
