import Foundation
import Logging
import PostgresNIO

/// Applies `migrations/*.sql` that are not yet applied, in order, each in its own transaction, under a
/// PostgreSQL advisory lock so that two processes starting at once never both migrate.
///
/// Applied files are recorded in `schema_migrations(version, name, checksum, applied_at)` of the connection's
/// current schema; an applied file whose checksum changed stops the run with `MigrationError.checksumMismatch`
/// before anything is applied.
public struct Migrator: Sendable {
    /// First key of the two-key advisory lock ("SIGH" in ASCII); the second key is the current schema's hash.
    static let lockKey: Int32 = 0x5349_4748

    public let client: PostgresClient
    public let migrations: [Migration]
    public let logger: Logger

    /// Uses the given migrations (already loaded).
    public init(client: PostgresClient, migrations: [Migration], logger: Logger) {
        self.client = client
        self.migrations = migrations
        self.logger = logger
    }

    /// Loads the migrations from `directory` (default: the `migrations/` folder found by `ResourceDirectory`).
    public init(client: PostgresClient, directory: String? = nil, logger: Logger) throws {
        let path = try directory ?? ResourceDirectory.migrations.locatePath()
        self.init(client: client, migrations: try Migration.loadMigrations(fromDirectory: path), logger: logger)
    }

    /// Applies the pending migrations and returns those applied by this call (empty when up to date).
    @discardableResult
    public func applyPendingMigrations() async throws -> [Migration] {
        try await client.withConnection { connection in
            try await connection.query(
                "SELECT pg_advisory_lock(\(Self.lockKey), hashtext(current_schema()))", logger: logger)
            do {
                let applied = try await applyPending(on: connection)
                try await connection.query(
                    "SELECT pg_advisory_unlock(\(Self.lockKey), hashtext(current_schema()))", logger: logger)
                return applied
            } catch {
                // The lock is per session: release it so the pooled connection can be reused.
                _ = try? await connection.query(
                    "SELECT pg_advisory_unlock(\(Self.lockKey), hashtext(current_schema()))", logger: logger)
                throw error
            }
        }
    }

    /// Versions recorded in `schema_migrations` with their checksum.
    public func listAppliedMigrations() async throws -> [(version: Int, name: String, checksum: String)] {
        try await client.withConnection { connection in
            try await ensureTable(on: connection)
            return try await readApplied(on: connection)
        }
    }

    static func describe(_ error: (any Error)?) -> String {
        guard let error else { return "unknown error" }
        if let psql = error as? PSQLError, let message = psql.serverInfo?[.message] {
            let state = psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + state
        }
        return String(describing: error)
    }

    private func ensureTable(on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
    }

    private func readApplied(on connection: PostgresConnection) async throws -> [(
        version: Int, name: String, checksum: String
    )] {
        let rows = try await connection.query(
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version", logger: logger)
        var result: [(version: Int, name: String, checksum: String)] = []
        for try await (version, name, checksum) in rows.decode((Int32, String, String).self) {
            result.append((Int(version), name, checksum))
        }
        return result
    }

    private func applyPending(on connection: PostgresConnection) async throws -> [Migration] {
        try await ensureTable(on: connection)
        let applied = try await readApplied(on: connection)
        let byVersion = Dictionary(migrations.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        for record in applied {
            guard let file = byVersion[record.version] else {
                throw MigrationError.missingFile(version: record.version, name: record.name)
            }
            if file.checksum != record.checksum {
                throw MigrationError.checksumMismatch(
                    version: record.version, name: record.name, recorded: record.checksum, current: file.checksum)
            }
        }
        let appliedVersions = Set(applied.map(\.version))
        var newlyApplied: [Migration] = []
        for migration in migrations where !appliedVersions.contains(migration.version) {
            logger.info(
                "applying migration",
                metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            let version = Int32(migration.version)
            do {
                try await connection.withTransaction(logger: logger) { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: migration.sql), logger: logger)
                    try await connection.query(
                        """
                        INSERT INTO schema_migrations (version, name, checksum)
                        VALUES (\(version), \(migration.name), \(migration.checksum))
                        """, logger: logger)
                }
            } catch let error as PostgresTransactionError {
                let underlying = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
                throw MigrationError.statementFailed(
                    version: migration.version, name: migration.name, message: Self.describe(underlying))
            }
            newlyApplied.append(migration)
        }
        return newlyApplied
    }
}
