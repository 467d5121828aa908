import Foundation

/// A person who can sign in. `isAdmin` users manage accounts and see every project.
public struct User: Sendable, Equatable, Codable {
    /// Typed identifier of a user.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    /// Lower-cased e-mail address, unique.
    public var email: String
    public var displayName: String
    /// bcrypt hash of the password.
    public var passwordHash: String
    public var isAdmin: Bool
    public var createdAt: Date

    public init(id: ID, email: String, displayName: String, passwordHash: String, isAdmin: Bool, createdAt: Date) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.createdAt = createdAt
    }

    /// Canonical form of an e-mail address for storage and look-up (trimmed, lower-cased).
    public static func normalizeEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
