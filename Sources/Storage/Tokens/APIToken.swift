import Foundation

/// A personal API token of one user, scoped to one project. Only its SHA-256 is stored; the secret is shown once
/// at creation. Revoked tokens stay listed (with `revokedAt`) and never authenticate again.
public struct APIToken: Sendable, Equatable, Codable {
    /// Typed identifier of a token.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var projectID: Project.ID
    public var userID: User.ID
    /// What the owner called it ("CI", "laptop").
    public var name: String
    /// The first characters of the secret, to recognise it in lists.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: ID, projectID: Project.ID, userID: User.ID, name: String, prefix: String, createdAt: Date,
        lastUsedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.projectID = projectID
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}
