import Foundation

/// A set of images, regions and prompts reviewed by a team.
public struct Project: Sendable, Equatable, Codable {
    /// Typed identifier of a project.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var name: String
    public var description: String
    public var createdBy: User.ID?
    public var createdAt: Date

    public init(id: ID, name: String, description: String, createdBy: User.ID?, createdAt: Date) {
        self.id = id
        self.name = name
        self.description = description
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
