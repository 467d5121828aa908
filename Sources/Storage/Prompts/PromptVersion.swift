import Foundation

/// One version of a project's prompt: a name and the prompt text. Versions of the same prompt share `promptID`
/// and count up from 1; editing a version that already has runs creates the next version (the old one keeps its
/// runs), editing one without runs changes it in place.
public struct PromptVersion: Sendable, Equatable, Codable {
    /// Typed identifier of one prompt version.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    /// Typed identifier of a prompt (the lineage its versions share).
    public struct PromptID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var projectID: Project.ID
    public var promptID: PromptID
    /// 1, 2, 3, … per prompt.
    public var version: Int
    public var name: String
    public var text: String
    public var createdBy: User.ID?
    /// The author's display name (`nil` when the account is gone).
    public var createdByName: String?
    public var createdAt: Date
    /// Number of runs attached to this version (filled by the list queries).
    public var runCount: Int

    public init(
        id: ID, projectID: Project.ID, promptID: PromptID, version: Int, name: String, text: String,
        createdBy: User.ID?, createdByName: String?, createdAt: Date, runCount: Int
    ) {
        self.id = id
        self.projectID = projectID
        self.promptID = promptID
        self.version = version
        self.name = name
        self.text = text
        self.createdBy = createdBy
        self.createdByName = createdByName
        self.createdAt = createdAt
        self.runCount = runCount
    }
}
