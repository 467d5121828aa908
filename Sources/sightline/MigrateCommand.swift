import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Storage

/// `sightline migrate`: applies the pending `migrations/*.sql` under an advisory lock, then exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (DATABASE_URL; SIGHTLINE_MIGRATIONS_DIR overrides the folder)."
    )

    func run() async throws {
        var logger = Logger(label: "sightline.migrate")
        logger.logLevel = .info
        let database = try DatabaseConfiguration.fromEnvironment()
        let migrator = try Migrator(
            client: PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger),
            logger: logger)
        let applied = try await DatabaseSession.withRunningClient(migrator.client) {
            try await migrator.applyPendingMigrations()
        }
        if applied.isEmpty {
            print("Database is up to date (\(migrator.migrations.count) migrations).")
        } else {
            for migration in applied {
                print("applied \(String(format: "%04d", migration.version))_\(migration.name)")
            }
        }
    }
}
