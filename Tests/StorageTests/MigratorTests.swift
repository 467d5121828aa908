import Foundation
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite("Migrator")
struct MigratorTests {
    @Test("applies every migration once, and a second run applies nothing")
    func applyMigrationsOnce() async throws {
        try await TestDatabase.withSchema(migrate: false) { schema in
            let client = try schema.requireClient()
            let migrator = try Migrator(client: client, directory: try TestDatabase.migrationsDirectory(), logger: schema.logger)
            let first = try await migrator.applyPendingMigrations()
            #expect(first.map(\.version) == migrator.migrations.map(\.version))
            #expect(!first.isEmpty)
            let second = try await migrator.applyPendingMigrations()
            #expect(second.isEmpty)
            let applied = try await migrator.listAppliedMigrations()
            #expect(applied.map(\.version) == migrator.migrations.map(\.version))
            #expect(applied.map(\.checksum) == migrator.migrations.map(\.checksum))
        }
    }

    @Test("concurrent migrate runs on separate connections apply each file exactly once")
    func concurrentRunsApplyEachFileOnce() async throws {
        try await TestDatabase.withSchema(migrate: false) { schema in
            let directory = try TestDatabase.migrationsDirectory()
            let logger = schema.logger
            // Four "processes", each with its own pool, start migrating at the same moment.
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await schema.withClient { client in
                            try await Migrator(client: client, directory: directory, logger: logger)
                                .applyPendingMigrations().map(\.version)
                        }
                    }
                }
                var all: [[Int]] = []
                for try await versions in group { all.append(versions) }
                return all
            }
            let expected = try Migration.loadMigrations(fromDirectory: directory).map(\.version)
            let appliedVersions = results.flatMap { $0 }
            #expect(appliedVersions.sorted() == expected, "each file applied by exactly one run")
            #expect(results.filter { !$0.isEmpty }.count == 1, "one run applied everything, the others nothing")
            let client = try schema.requireClient()
            let rows = try await client.query("SELECT count(*), count(DISTINCT version) FROM schema_migrations")
            for try await (count, distinct) in rows.decode((Int64, Int64).self) {
                #expect(count == Int64(expected.count))
                #expect(distinct == Int64(expected.count))
            }
        }
    }

    @Test("an edited, already-applied migration is refused with a clear error and nothing else is applied")
    func editedMigrationIsRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("0001_create_widgets.sql")
        try "CREATE TABLE widgets (id integer PRIMARY KEY)".write(to: first, atomically: true, encoding: .utf8)

        try await TestDatabase.withSchema(migrate: false) { schema in
            let client = try schema.requireClient()
            let applied = try await Migrator(client: client, directory: directory.path, logger: schema.logger)
                .applyPendingMigrations()
            #expect(applied.count == 1)

            try "CREATE TABLE widgets (id bigint PRIMARY KEY)".write(to: first, atomically: true, encoding: .utf8)
            try "CREATE TABLE gadgets (id integer PRIMARY KEY)".write(
                to: directory.appendingPathComponent("0002_create_gadgets.sql"), atomically: true, encoding: .utf8)
            let edited = try Migrator(client: client, directory: directory.path, logger: schema.logger)
            do {
                try await edited.applyPendingMigrations()
                Issue.record("expected a checksum error")
            } catch let error as MigrationError {
                guard case .checksumMismatch(let version, let name, _, _) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(version == 1)
                #expect(name == "create_widgets")
                #expect(error.description.contains("0001_create_widgets.sql was edited after it was applied"))
            }
            let rows = try await client.query("SELECT to_regclass('gadgets') IS NULL")
            for try await missing in rows.decode(Bool.self) {
                #expect(missing, "0002 must not run after the refusal")
            }
        }
    }

    @Test("a failing migration rolls back and is not recorded")
    func failingMigrationRollsBack() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "CREATE TABLE widgets (id integer PRIMARY KEY)".write(
            to: directory.appendingPathComponent("0001_create_widgets.sql"), atomically: true, encoding: .utf8)
        try "ALTER TABLE no_such_table ADD COLUMN x integer".write(
            to: directory.appendingPathComponent("0002_alter_nothing.sql"), atomically: true, encoding: .utf8)
        try await TestDatabase.withSchema(migrate: false) { schema in
            let client = try schema.requireClient()
            let migrator = try Migrator(client: client, directory: directory.path, logger: schema.logger)
            do {
                try await migrator.applyPendingMigrations()
                Issue.record("expected the migration to fail")
            } catch let error as MigrationError {
                guard case .statementFailed(let version, let name, let message) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(version == 2)
                #expect(name == "alter_nothing")
                #expect(message.contains("no_such_table"))
            }
            let applied = try await migrator.listAppliedMigrations()
            #expect(applied.map(\.version) == [1])
        }
    }

    @Test("file names must be NNNN_name.sql and versions unique")
    func invalidFileNames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "SELECT 1".write(to: directory.appendingPathComponent("create_things.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.invalidFileName("create_things.sql")) {
            try Migration.loadMigrations(fromDirectory: directory.path)
        }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("create_things.sql"))
        try "SELECT 1".write(to: directory.appendingPathComponent("0001_a.sql"), atomically: true, encoding: .utf8)
        try "SELECT 2".write(to: directory.appendingPathComponent("001_b.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.duplicateVersion(1)) {
            try Migration.loadMigrations(fromDirectory: directory.path)
        }
    }
}
