/// A comment to pin on a run's image.
public struct NewReviewComment: Sendable {
    public var projectID: Project.ID
    public var runID: Run.ID
    public var label: String
    public var shape: CommentShape
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public var body: String
    public var createdBy: User.ID

    public init(
        projectID: Project.ID, runID: Run.ID, label: String, shape: CommentShape, x: Double, y: Double,
        width: Double, height: Double, body: String, createdBy: User.ID
    ) {
        self.projectID = projectID
        self.runID = runID
        self.label = label
        self.shape = shape
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.body = body
        self.createdBy = createdBy
    }
}
