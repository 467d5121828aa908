import Crypto
import Foundation
import Logging
import PostgresNIO

/// Creates, lists, revokes and resolves `api_tokens`.
public struct TokenRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Lower-case hex SHA-256 of a token secret (what the table stores).
    public static func hashSecret(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new secret: `sl_` + 40 characters from a 62-letter alphabet (~238 bits).
    public static func generateSecret() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return "sl_" + String((0..<40).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Creates a token and returns it with its secret (the only time the secret exists outside the client).
    public func createToken(projectID: Project.ID, userID: User.ID, name: String) async throws
        -> (token: APIToken, secret: String)
    {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw StorageError.invalidValue("a token name needs 1 to 200 characters")
        }
        let secret = Self.generateSecret()
        let hash = Self.hashSecret(secret)
        let prefix = String(secret.prefix(7))
        let id = APIToken.ID.generate()
        do {
            let rows = try await client.query(
                """
                INSERT INTO api_tokens (id, project_id, user_id, name, token_hash, prefix)
                VALUES (\(id), \(projectID), \(userID), \(name), \(hash), \(prefix))
                RETURNING id, project_id, user_id, name, prefix, created_at, last_used_at, revoked_at
                """, logger: logger)
            guard let token = try await Self.decodeTokens(rows).first else {
                throw StorageError.notFound("token \(id) after insert")
            }
            return (token, secret)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            throw StorageError.notFound("project \(projectID) or user \(userID)")
        }
    }

    /// The user's tokens in a project, newest first (revoked ones included).
    public func listTokens(projectID: Project.ID, userID: User.ID) async throws -> [APIToken] {
        let rows = try await client.query(
            """
            SELECT id, project_id, user_id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens
            WHERE project_id = \(projectID) AND user_id = \(userID) ORDER BY created_at DESC
            """, logger: logger)
        return try await Self.decodeTokens(rows)
    }

    /// Revokes one of the user's tokens; `StorageError.notFound` when it is not theirs (or not in the project).
    public func revokeToken(id: APIToken.ID, projectID: Project.ID, userID: User.ID) async throws {
        let rows = try await client.query(
            """
            UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
            WHERE id = \(id) AND project_id = \(projectID) AND user_id = \(userID) RETURNING id
            """, logger: logger)
        guard try await rows.decode(APIToken.ID.self).first(where: { _ in true }) != nil else {
            throw StorageError.notFound("token \(id)")
        }
    }

    /// The active (not revoked) token with this secret, marking it used; `nil` for an unknown or revoked secret.
    public func findActiveToken(secret: String) async throws -> APIToken? {
        let hash = Self.hashSecret(secret)
        let rows = try await client.query(
            """
            UPDATE api_tokens SET last_used_at = now() WHERE token_hash = \(hash) AND revoked_at IS NULL
            RETURNING id, project_id, user_id, name, prefix, created_at, last_used_at, revoked_at
            """, logger: logger)
        return try await Self.decodeTokens(rows).first
    }

    static func decodeTokens(_ rows: PostgresRowSequence) async throws -> [APIToken] {
        var tokens: [APIToken] = []
        for try await (id, projectID, userID, name, prefix, createdAt, usedAt, revokedAt) in rows.decode(
            (APIToken.ID, Project.ID, User.ID, String, String, Date, Date?, Date?).self)
        {
            tokens.append(
                APIToken(
                    id: id, projectID: projectID, userID: userID, name: name, prefix: prefix, createdAt: createdAt,
                    lastUsedAt: usedAt, revokedAt: revokedAt))
        }
        return tokens
    }
}
