import Foundation

/// One recorded sign-off decision of a prompt version. Sign-offs are never edited: a new decision is a new row
/// with the next `sequence` (the row version of the prompt version's sign-off history); the latest one counts.
public struct SignOff: Sendable, Equatable {
    /// Typed identifier of a sign-off.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var projectID: Project.ID
    public var promptVersionID: PromptVersion.ID
    /// 1, 2, 3, … per prompt version.
    public var sequence: Int
    public var reviewerID: User.ID?
    /// The reviewer's display name when signing (kept when the account is gone).
    public var reviewerName: String
    public var decision: SignOffDecision
    public var comment: String
    /// An approval despite failing (or errored) verdicts.
    public var override: Bool
    /// Lower-case hex SHA-256 of `digestInput`'s canonical JSON.
    public var digest: String
    /// Exactly what was reviewed (used to show what changed since).
    public var digestInput: ReviewDigestInput
    public var createdAt: Date

    public init(
        id: ID, projectID: Project.ID, promptVersionID: PromptVersion.ID, sequence: Int, reviewerID: User.ID?,
        reviewerName: String, decision: SignOffDecision, comment: String, override: Bool, digest: String,
        digestInput: ReviewDigestInput, createdAt: Date
    ) {
        self.id = id
        self.projectID = projectID
        self.promptVersionID = promptVersionID
        self.sequence = sequence
        self.reviewerID = reviewerID
        self.reviewerName = reviewerName
        self.decision = decision
        self.comment = comment
        self.override = override
        self.digest = digest
        self.digestInput = digestInput
        self.createdAt = createdAt
    }
}
