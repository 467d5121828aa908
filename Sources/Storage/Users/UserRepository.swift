import Foundation
import Logging
import PostgresNIO

/// Reads and writes `users`.
public struct UserRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Inserts a user; `StorageError.duplicate` when the e-mail address is taken.
    public func createUser(email: String, displayName: String, passwordHash: String, isAdmin: Bool) async throws -> User {
        let email = User.normalizeEmail(email)
        guard email.contains("@"), email.count <= 254 else {
            throw StorageError.invalidValue("'\(email)' is not an e-mail address")
        }
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = User.ID.generate()
        do {
            let rows = try await client.query(
                """
                INSERT INTO users (id, email, display_name, password_hash, is_admin)
                VALUES (\(id), \(email), \(name.isEmpty ? email : name), \(passwordHash), \(isAdmin))
                RETURNING id, email, display_name, password_hash, is_admin, created_at
                """, logger: logger)
            guard let user = try await Self.decodeUsers(rows).first else {
                throw StorageError.notFound("user \(id) after insert")
            }
            return user
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StorageError.duplicate("a user with e-mail \(email)")
        }
    }

    /// The user with this id, if any.
    public func findUser(id: User.ID) async throws -> User? {
        let rows = try await client.query(
            """
            SELECT id, email, display_name, password_hash, is_admin, created_at FROM users WHERE id = \(id)
            """, logger: logger)
        return try await Self.decodeUsers(rows).first
    }

    /// The user with this e-mail address (case-insensitive), if any.
    public func findUser(email: String) async throws -> User? {
        let rows = try await client.query(
            """
            SELECT id, email, display_name, password_hash, is_admin, created_at
            FROM users WHERE email = \(User.normalizeEmail(email))
            """, logger: logger)
        return try await Self.decodeUsers(rows).first
    }

    /// Every user, by e-mail address.
    public func listUsers() async throws -> [User] {
        let rows = try await client.query(
            "SELECT id, email, display_name, password_hash, is_admin, created_at FROM users ORDER BY email",
            logger: logger)
        return try await Self.decodeUsers(rows)
    }

    /// Number of users (0 on a fresh database).
    public func countUsers() async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM users", logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// Replaces the password hash; `StorageError.notFound` for an unknown user.
    public func updatePasswordHash(userID: User.ID, passwordHash: String) async throws {
        let rows = try await client.query(
            "UPDATE users SET password_hash = \(passwordHash) WHERE id = \(userID) RETURNING id", logger: logger)
        guard try await rows.decode(User.ID.self).first(where: { _ in true }) != nil else {
            throw StorageError.notFound("user \(userID)")
        }
    }

    /// Grants or revokes administrator rights.
    public func updateAdminFlag(userID: User.ID, isAdmin: Bool) async throws {
        let rows = try await client.query(
            "UPDATE users SET is_admin = \(isAdmin) WHERE id = \(userID) RETURNING id", logger: logger)
        guard try await rows.decode(User.ID.self).first(where: { _ in true }) != nil else {
            throw StorageError.notFound("user \(userID)")
        }
    }

    /// Changes the display name.
    public func updateDisplayName(userID: User.ID, displayName: String) async throws {
        let rows = try await client.query(
            "UPDATE users SET display_name = \(displayName) WHERE id = \(userID) RETURNING id", logger: logger)
        guard try await rows.decode(User.ID.self).first(where: { _ in true }) != nil else {
            throw StorageError.notFound("user \(userID)")
        }
    }

    static func decodeUsers(_ rows: PostgresRowSequence) async throws -> [User] {
        var users: [User] = []
        for try await (id, email, name, hash, isAdmin, createdAt) in rows.decode(
            (User.ID, String, String, String, Bool, Date).self)
        {
            users.append(
                User(id: id, email: email, displayName: name, passwordHash: hash, isAdmin: isAdmin, createdAt: createdAt))
        }
        return users
    }
}
