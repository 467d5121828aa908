import Foundation
import Logging
import PostgresNIO

/// Key/value rows of `sessions` (the web layer's session store): a JSON value with an optional expiry.
public struct SessionRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Inserts a new key; returns `false` when the key already exists (and is not expired).
    public func createSession(key: String, json: String, expiresIn: Duration?) async throws -> Bool {
        let seconds = expiresIn.map { Double($0.components.seconds) }
        try await client.query(
            "DELETE FROM sessions WHERE key = \(key) AND expires_at IS NOT NULL AND expires_at <= now()",
            logger: logger)
        let rows = try await client.query(
            """
            INSERT INTO sessions (key, value, expires_at)
            VALUES (\(key), \(json)::jsonb, now() + make_interval(secs => \(seconds)))
            ON CONFLICT (key) DO NOTHING RETURNING key
            """, logger: logger)
        return try await rows.decode(String.self).first(where: { _ in true }) != nil
    }

    /// Inserts or replaces a key. With `expiresIn == nil` an existing expiry is kept.
    public func upsertSession(key: String, json: String, expiresIn: Duration?) async throws {
        let seconds = expiresIn.map { Double($0.components.seconds) }
        try await client.query(
            """
            INSERT INTO sessions (key, value, expires_at)
            VALUES (\(key), \(json)::jsonb, now() + make_interval(secs => \(seconds)))
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,
                expires_at = COALESCE(EXCLUDED.expires_at, sessions.expires_at), updated_at = now()
            """, logger: logger)
    }

    /// The JSON value and remaining lifetime of a key that has not expired.
    public func findSession(key: String) async throws -> (json: String, expiresIn: Duration?)? {
        let rows = try await client.query(
            """
            SELECT value::text, extract(epoch FROM expires_at - now())::float8 FROM sessions
            WHERE key = \(key) AND (expires_at IS NULL OR expires_at > now())
            """, logger: logger)
        for try await (json, seconds) in rows.decode((String, Double?).self) {
            return (json, seconds.map { .milliseconds(Int64($0 * 1000)) })
        }
        return nil
    }

    /// Removes a key.
    public func deleteSession(key: String) async throws {
        try await client.query("DELETE FROM sessions WHERE key = \(key)", logger: logger)
    }

    /// Removes every session whose JSON value has `"userID": userID` (sign-out everywhere), except `keepKey`.
    public func deleteSessions(userID: User.ID, exceptKey keepKey: String? = nil) async throws {
        let id = userID.description
        try await client.query(
            """
            DELETE FROM sessions WHERE lower(value->>'userID') = \(id) AND key IS DISTINCT FROM \(keepKey)
            """, logger: logger)
    }

    /// Removes expired rows; returns how many.
    @discardableResult
    public func deleteExpiredSessions() async throws -> Int {
        let rows = try await client.query(
            "DELETE FROM sessions WHERE expires_at <= now() RETURNING key", logger: logger)
        var count = 0
        for try await _ in rows.decode(String.self) { count += 1 }
        return count
    }
}
