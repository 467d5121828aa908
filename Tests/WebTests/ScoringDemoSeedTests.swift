import Foundation
import Storage
import Testing
import TestSupport
import VisionModel
@testable import Web

/// The demo project: seeded once, three images with regions, two prompt versions, every run scored; real built-in
/// Grad-CAM heatmaps when the model weights are there (as `scripts/serve` and `scripts/test` arrange), synthetic
/// ones, labelled as such, when they are not.
@Suite("Demo seed")
struct ScoringDemoSeedTests {
    static func makeServices(_ schema: TestSchema, builtIn: BuiltInHeatmapService) async throws -> AppServices {
        let root = TestDatabase.repositoryRoot()
        let configuration = AppConfiguration(
            bcryptCost: 4, templatesDirectory: root.appendingPathComponent("templates").path,
            staticDirectory: root.appendingPathComponent("static").path)
        let views = try await ViewRenderer(directory: root.appendingPathComponent("templates").path)
        return AppServices(
            client: try schema.requireClient(), views: views, configuration: configuration, logger: schema.logger,
            builtInHeatmaps: builtIn)
    }

    static func makeSeeder(_ services: AppServices, _ schema: TestSchema) -> DemoSeeder {
        DemoSeeder(
            services: services, logger: schema.logger,
            directory: TestDatabase.repositoryRoot().appendingPathComponent("demo").path)
    }

    @Test("with the model weights, the demo's runs are built-in Grad-CAM maps, and version 2 passes where version 1 fails")
    func seedsBuiltInDemo() async throws {
        let path = ProcessInfo.processInfo.environment[EfficientNetLite0.weightsEnvironmentVariable] ?? ""
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("SIGHTLINE_MODEL_WEIGHTS is not set or missing: run the tests with `bash scripts/test`")
            return
        }
        try await TestDatabase.withSchema { schema in
            let service = BuiltInHeatmapService(weightsPath: path, concurrency: 2)
            let services = try await Self.makeServices(schema, builtIn: service)
            let seeder = Self.makeSeeder(services, schema)
            #expect(try await seeder.seedIfNeeded() == false)  // no administrator yet
            _ = try await services.users.createUser(
                email: "admin@example.org", displayName: "Admin", passwordHash: "x", isAdmin: true)
            #expect(try await seeder.seedIfNeeded() == true)
            #expect(try await seeder.seedIfNeeded() == false)
            let project = try #require(try await services.projects.listProjects().first)
            #expect(project.description.contains("built-in Grad-CAM"))
            #expect(!project.description.contains("SYNTHETIC"))

            // The server's built-in worker computes the queued jobs; here a worker of the test does.
            let worker = BuiltInHeatmapWorker(client: services.client, service: service, logger: schema.logger)
            #expect(try await worker.drainQueue() == 6)
            try await finishScoring(client: services.client, logger: schema.logger)

            let runs = try await services.runs.listRuns(projectID: project.id)
            #expect(runs.count == 6)
            #expect(runs.allSatisfy { $0.source == .builtin && $0.modelName == BuiltInHeatmapService.modelName })
            var labels: Set<String> = []
            for run in runs {
                let heatmaps = try await services.runs.listHeatmaps(runID: run.id)
                #expect(heatmaps.allSatisfy { $0.source == .builtin && $0.width == 7 && $0.height == 7 })
                labels.formUnion(heatmaps.map(\.label))
            }
            #expect(labels == ["space shuttle", "helmet", "cat", "cup"])

            let table = try await ComparisonLoader(services: services).loadTable(projectID: project.id)
            #expect(table.images.count == 3)
            let rows = table.rows.sorted { $0.version.version < $1.version.version }
            #expect(rows.count == 2)
            #expect(rows.allSatisfy { $0.imagesScored == 3 })
            // Same maps; version 1's descriptions miss the labels, version 2's name them: 0 % against 100 %.
            #expect(rows.map { $0.passRate ?? -1 } == [0, 1])
        }
    }

    @Test("without model weights, the demo falls back to synthetic maps and says so")
    func seedsSyntheticDemo() async throws {
        try await TestDatabase.withSchema { schema in
            let services = try await Self.makeServices(schema, builtIn: BuiltInHeatmapService(weightsPath: nil))
            _ = try await services.users.createUser(
                email: "admin@example.org", displayName: "Admin", passwordHash: "x", isAdmin: true)
            #expect(try await Self.makeSeeder(services, schema).seedIfNeeded() == true)
            let project = try #require(try await services.projects.listProjects().first)
            #expect(project.description.contains("SYNTHETIC"))
            try await finishScoring(client: services.client, logger: schema.logger)
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
