import Foundation
import Logging
import PostgresNIO

/// Records sign-in attempts in `login_attempts` and counts recent failures for throttling.
public struct LoginAttemptRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores one attempt for `email` from `remoteAddress`.
    public func recordLoginAttempt(email: String, remoteAddress: String, succeeded: Bool) async throws {
        let email = User.normalizeEmail(email)
        try await client.query(
            """
            INSERT INTO login_attempts (email, remote_address, succeeded)
            VALUES (\(email), \(remoteAddress), \(succeeded))
            """, logger: logger)
    }

    /// Failed attempts for `email` within the last `window`, counted after its latest success.
    public func countRecentFailures(email: String, window: Duration) async throws -> Int {
        let email = User.normalizeEmail(email)
        let seconds = Double(window.components.seconds)
        let rows = try await client.query(
            """
            SELECT count(*) FROM login_attempts
            WHERE email = \(email) AND NOT succeeded
              AND attempted_at > now() - make_interval(secs => \(seconds))
              AND attempted_at > COALESCE((SELECT max(attempted_at) FROM login_attempts
                                           WHERE email = \(email) AND succeeded), '-infinity')
            """, logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }
}
