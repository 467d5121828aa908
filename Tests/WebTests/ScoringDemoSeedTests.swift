import Foundation
import Storage
import Testing
import TestSupport
@testable import Web

/// The demo project: seeded once, three images with regions, two prompt versions, every run scored.
@Suite("Demo seed")
struct ScoringDemoSeedTests {
    @Test("the demo seeds once and its comparison table shows two scored prompt versions")
    func seedsDemo() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let root = TestDatabase.repositoryRoot()
            let configuration = AppConfiguration(
                bcryptCost: 4, templatesDirectory: root.appendingPathComponent("templates").path,
                staticDirectory: root.appendingPathComponent("static").path)
            let views = try await ViewRenderer(directory: root.appendingPathComponent("templates").path)
            let services = AppServices(client: client, views: views, configuration: configuration, logger: logger)
            let seeder = DemoSeeder(services: services, logger: logger, directory: root.appendingPathComponent("demo").path)
            #expect(try await seeder.seedIfNeeded() == false)  // no administrator yet
            _ = try await services.users.createUser(
                email: "admin@example.org", displayName: "Admin", passwordHash: "x", isAdmin: true)
            #expect(try await seeder.seedIfNeeded() == true)
            #expect(try await seeder.seedIfNeeded() == false)
            let project = try #require(try await services.projects.listProjects().first)
            #expect(project.description.contains("SYNTHETIC"))
            try await finishScoring(client: client, logger: logger)
            let table = try await ComparisonLoader(services: services).loadTable(projectID: project.id)
            #expect(table.images.count == 3)
            #expect(table.rows.count == 2)
            #expect(table.rows.allSatisfy { $0.imagesScored == 3 })
            let rates = table.rows.sorted { $0.version.version < $1.version.version }.map { $0.passRate ?? -1 }
            #expect(rates[1] > rates[0], "version 2 should do better: \(rates)")
            let runs = try await services.runs.listRuns(projectID: project.id)
            #expect(runs.count == 6)
            #expect(runs.allSatisfy { $0.modelName.contains("synthetic") && $0.source == .demo })
        }
    }
}
