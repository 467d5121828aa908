/// A sign-off to record, with what the reviewer saw when the form was rendered (optimistic concurrency).
public struct NewSignOff: Sendable {
    public var promptVersionID: PromptVersion.ID
    public var reviewerID: User.ID
    public var reviewerName: String
    public var decision: SignOffDecision
    public var comment: String
    /// The digest shown on the review page; the sign-off is refused when the data changed since (`nil`: no check).
    public var expectedDigest: String?
    /// The `sequence` of the latest sign-off shown on the page (0 when there was none); refused when another
    /// sign-off landed since (`nil`: no check).
    public var expectedSequence: Int?

    public init(
        promptVersionID: PromptVersion.ID, reviewerID: User.ID, reviewerName: String, decision: SignOffDecision,
        comment: String, expectedDigest: String?, expectedSequence: Int?
    ) {
        self.promptVersionID = promptVersionID
        self.reviewerID = reviewerID
        self.reviewerName = reviewerName
        self.decision = decision
        self.comment = comment
        self.expectedDigest = expectedDigest
        self.expectedSequence = expectedSequence
    }
}
