import Foundation

/// A reply in a review comment's thread.
public struct CommentReply: Sendable, Equatable {
    /// Typed identifier of a reply.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var commentID: ReviewComment.ID
    public var body: String
    public var createdBy: User.ID?
    public var createdByName: String?
    public var createdAt: Date

    public init(
        id: ID, commentID: ReviewComment.ID, body: String, createdBy: User.ID?, createdByName: String?, createdAt: Date
    ) {
        self.id = id
        self.commentID = commentID
        self.body = body
        self.createdBy = createdBy
        self.createdByName = createdByName
        self.createdAt = createdAt
    }
}
