import Foundation

/// A review comment pinned to a point or a box on the image of a run (like CVAT's issues), with its replies.
public struct ReviewComment: Sendable, Equatable {
    /// Typed identifier of a review comment.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var projectID: Project.ID
    public var promptVersionID: PromptVersion.ID
    public var runID: Run.ID
    public var imageID: Image.ID
    /// The heatmap keyword the comment was made on (empty: the image itself).
    public var label: String
    public var shape: CommentShape
    public var x: Double
    public var y: Double
    /// 0 for a point.
    public var width: Double
    public var height: Double
    public var body: String
    public var status: CommentStatus
    public var createdBy: User.ID?
    public var createdByName: String?
    public var createdAt: Date
    public var statusChangedByName: String?
    public var statusChangedAt: Date?
    /// Incremented by every status change (optimistic concurrency).
    public var rowVersion: Int
    /// Oldest first (filled by the list queries).
    public var replies: [CommentReply]

    public init(
        id: ID, projectID: Project.ID, promptVersionID: PromptVersion.ID, runID: Run.ID, imageID: Image.ID,
        label: String, shape: CommentShape, x: Double, y: Double, width: Double, height: Double, body: String,
        status: CommentStatus, createdBy: User.ID?, createdByName: String?, createdAt: Date,
        statusChangedByName: String?, statusChangedAt: Date?, rowVersion: Int, replies: [CommentReply]
    ) {
        self.id = id
        self.projectID = projectID
        self.promptVersionID = promptVersionID
        self.runID = runID
        self.imageID = imageID
        self.label = label
        self.shape = shape
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.body = body
        self.status = status
        self.createdBy = createdBy
        self.createdByName = createdByName
        self.createdAt = createdAt
        self.statusChangedByName = statusChangedByName
        self.statusChangedAt = statusChangedAt
        self.rowVersion = rowVersion
        self.replies = replies
    }
}
