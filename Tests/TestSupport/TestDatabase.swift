import Foundation
import Logging
import PostgresNIO
import Storage

/// Gives each database test a fresh schema in the real PostgreSQL of `DATABASE_URL` (started by `scripts/test`).
///
/// The schema is `test_<random hex>`; every connection of the schema's client has `search_path` set to it as a
/// startup parameter, so pooled and reconnected connections all see only that schema. It is dropped afterwards.
public enum TestDatabase {
    /// The base configuration from `DATABASE_URL`, or a clear error telling to use `scripts/test`.
    public static func baseConfiguration() throws -> DatabaseConfiguration {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw TestSupportError(
                "DATABASE_URL is not set: run the tests with `bash scripts/test`, which starts a throwaway PostgreSQL "
                    + "and exports it (or export DATABASE_URL yourself)")
        }
        return try DatabaseConfiguration(url: url)
    }

    /// A logger for tests (warnings only, unless `SIGHTLINE_TEST_LOG_LEVEL` says otherwise).
    public static func makeLogger(_ label: String = "test") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel =
            ProcessInfo.processInfo.environment["SIGHTLINE_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
            ?? .warning
        return logger
    }

    /// Creates a fresh schema, optionally migrates it, runs `body` with a running client bound to it, then drops it.
    public static func withSchema<T: Sendable>(
        migrate: Bool = true, _ body: @Sendable (TestSchema) async throws -> T
    ) async throws -> T {
        let base = try baseConfiguration()
        let logger = makeLogger()
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = PostgresClient(configuration: base.clientConfiguration, backgroundLogger: logger)
        return try await DatabaseSession.withRunningClient(admin) {
            // The name is generated above from hex digits only; an identifier cannot be a bind parameter.
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(name)"), logger: logger)
            let schema = TestSchema(name: name, configuration: base.withSearchPath(name), logger: logger)
            do {
                let result = try await schema.withClient { client in
                    if migrate {
                        try await Migrator(client: client, directory: try migrationsDirectory(), logger: logger)
                            .applyPendingMigrations()
                    }
                    return try await body(schema.with(client: client))
                }
                try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(name) CASCADE"), logger: logger)
                return result
            } catch {
                _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(name) CASCADE"), logger: logger)
                throw error
            }
        }
    }

    /// The repository's `migrations/` folder, found from this file's location.
    public static func migrationsDirectory() throws -> String {
        repositoryRoot().appendingPathComponent("migrations").path
    }

    /// The repository root (two folders above `Tests/TestSupport/`).
    public static func repositoryRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}
