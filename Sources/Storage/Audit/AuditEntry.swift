import Foundation

/// One row of the append-only audit log: who changed what, when, in which project.
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    public var projectID: Project.ID?
    /// `nil` for changes made by the server itself (scoring) or by an unknown actor.
    public var actorID: User.ID?
    /// The actor's display name when the change was made.
    public var actorName: String
    /// `image.uploaded`, `regions.saved`, `prompt.created`, `run.created`, `run.rescore_queued`, `run.scored`,
    /// `signoff.approved`, `comment.created`, `member.role_changed`, …
    public var kind: String
    public var summary: String
    /// The table whose row changed and that row's id.
    public var subjectTable: String
    public var subjectID: String
    /// Kind-specific JSON text (ids, old and new values).
    public var detailsJSON: String
    public var createdAt: Date

    public init(
        id: Int64, projectID: Project.ID?, actorID: User.ID?, actorName: String, kind: String, summary: String,
        subjectTable: String, subjectID: String, detailsJSON: String, createdAt: Date
    ) {
        self.id = id
        self.projectID = projectID
        self.actorID = actorID
        self.actorName = actorName
        self.kind = kind
        self.summary = summary
        self.subjectTable = subjectTable
        self.subjectID = subjectID
        self.detailsJSON = detailsJSON
        self.createdAt = createdAt
    }
}
