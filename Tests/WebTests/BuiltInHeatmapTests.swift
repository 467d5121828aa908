import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport
import VisionModel
@testable import Web

/// Built-in Grad-CAM (EfficientNet-Lite0) as a heatmap source, against the real PostgreSQL (fresh schema) and the
/// real weights (`SIGHTLINE_MODEL_WEIGHTS`, fetched by `scripts/test`): from a PNG to a scored diagnosis, and the
/// refusals (label without an ImageNet class, unknown chosen class, non-engineer, missing weights).
@Suite("Built-in Grad-CAM heatmaps")
struct BuiltInHeatmapTests {
    static let password = "password for tests"

    /// The fixture image `Tests/Fixtures/model/chelsea/chelsea.png` (320×213).
    static func chelseaBytes() throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/model/chelsea/chelsea.png")
        return Array(try Data(contentsOf: url))
    }

    /// Plane `plane` of a float32 `.npy` file of shape (planes, side, side).
    static func readNPYPlane(_ relativePath: String, plane: Int, side: Int) throws -> [Float] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(relativePath)")
        let bytes = Array(try Data(contentsOf: url))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let start = 10 + headerLength + plane * side * side * 4
        return (0..<(side * side)).map { i in
            let o = start + i * 4
            let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
            return Float(bitPattern: bits)
        }
    }

    static func requireWeights() throws -> String {
        let path = ProcessInfo.processInfo.environment[EfficientNetLite0.weightsEnvironmentVariable] ?? ""
        guard !path.isEmpty, FileManager.default.fileExists(atPath: path) else {
            throw TestSupportError(
                "SIGHTLINE_MODEL_WEIGHTS is not set or missing: run the tests with `bash scripts/test`, which fetches the weights")
        }
        return path
    }

    struct Fixture: Sendable {
        let project: Project
        let image: Image
        let prompt: PromptVersion
        let engineer: User
        let reviewer: User
    }

    /// A project with an engineer and a reviewer, the chelsea image with one focus region labelled `label`, and a
    /// prompt.
    static func makeFixture(client: PostgresClient, logger: Logger, label: String) async throws -> Fixture {
        let users = UserRepository(client: client, logger: logger)
        let projects = ProjectRepository(client: client, logger: logger)
        let hash = try await PasswordHasher(cost: 4).hashPassword(password)
        let manager = try await users.createUser(
            email: "manager@example.org", displayName: "Manager", passwordHash: hash, isAdmin: false)
        let engineer = try await users.createUser(
            email: "engineer@example.org", displayName: "Engineer", passwordHash: hash, isAdmin: false)
        let reviewer = try await users.createUser(
            email: "reviewer@example.org", displayName: "Reviewer", passwordHash: hash, isAdmin: false)
        let project = try await projects.createProject(name: "Cats", description: "", creator: manager.id)
        try await projects.upsertMember(projectID: project.id, userID: engineer.id, role: .engineer)
        try await projects.upsertMember(projectID: project.id, userID: reviewer.id, role: .reviewer)
        let images = ImageRepository(client: client, logger: logger)
        let outcome = try await ImageUploader(images: images, maxFileBytes: 10 << 20).uploadImage(
            ByteBuffer(bytes: try chelseaBytes()), fileName: "chelsea.png", projectID: project.id, uploadedBy: manager.id)
        guard case .uploaded(let image) = outcome else { throw TestSupportError("upload failed: \(outcome.message)") }
        let regions = try RegionSet.parse(
            Array(
                """
                {"regions": [{"label": "\(label)", "kind": "focus",
                  "shapes": [{"type": "rect", "x": 90, "y": 20, "width": 180, "height": 190}]}]}
                """.utf8))
        _ = try await RegionRepository(client: client, logger: logger).createRegionVersion(
            imageID: image.id, regions: regions, summary: "the cat", createdBy: manager.id)
        let prompt = try await PromptRepository(client: client, logger: logger).createPrompt(
            projectID: project.id, name: "Describe", text: "Describe the animal.", createdBy: engineer.id)
        return Fixture(project: project, image: image, prompt: prompt, engineer: engineer, reviewer: reviewer)
    }

    @Test("a PNG with a region 'tabby' → built-in Grad-CAM run (source builtin) → scored diagnosis")
    func imageToScoredDiagnosis() async throws {
        let weights = try Self.requireWeights()
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await Self.makeFixture(client: client, logger: logger, label: "tabby")
            let app = try await makeTestApplication(client: client, logger: logger)
            let base = "/projects/\(fixture.project.id)/images/\(fixture.image.id)/builtin"
            let jobURL: String = try await app.test(.router) { testClient in
                let browser = Browser(client: testClient)
                try await browser.signIn(email: "engineer@example.org", password: Self.password)
                let page = try await browser.get(base)
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(html.contains("value=\"tabby\""))  // matched class prefilled
                #expect(!html.contains("data-builtin-unavailable"))
                let response = try await browser.post(
                    base,
                    form: [("prompt_version_id", fixture.prompt.id.description), ("layer", "head"),
                           ("class_0", "tabby"), ("description", "A tabby cat lying on a table.")])
                #expect(response.status == .seeOther)
                let location = response.headers[.location] ?? ""
                #expect(location.hasPrefix("/projects/\(fixture.project.id)/builtin/jobs/"))
                let pending = try await browser.get(location)
                #expect(String(buffer: pending.body).contains("http-equiv=\"refresh\""))
                return location
            }
            let jobs = BuiltInJobRepository(client: client, logger: logger)

            // The background computation: the application's own worker (a service of the test application) may
            // already have taken the job; it finishes it before the application shuts down. A worker of the
            // test's own computes whatever is left, so the job is done exactly once either way.
            let service = BuiltInHeatmapService(weightsPath: weights, concurrency: 2)
            let worker = BuiltInHeatmapWorker(client: client, service: service, logger: logger)
            #expect(try await worker.drainQueue() <= 1)
            #expect(try await jobs.countOpenJobs() == 0)
            let jobID = try #require(Int64(jobURL.split(separator: "/").last.map(String.init) ?? ""))
            let job = try #require(try await jobs.findJob(id: jobID))
            #expect(job.status == .done)
            let runID = try #require(job.runID)
            let runs = RunRepository(client: client, logger: logger)
            let run = try #require(try await runs.findRun(id: runID))
            #expect(run.source == .builtin)
            #expect(run.modelName == BuiltInHeatmapService.modelName)
            #expect(run.promptVersionID == fixture.prompt.id)
            #expect(run.description == "A tabby cat lying on a table.")
            let stored = try await runs.fetchHeatmaps(runID: runID)
            #expect(stored.count == 1)
            let heatmap = try #require(stored.first)
            #expect(heatmap.heatmap.label == "tabby")
            #expect(heatmap.heatmap.source == .builtin)
            #expect(heatmap.map.width == 7 && heatmap.map.height == 7)
            // The stored map is the raw head CAM of class 281 on the original PNG: the PyTorch reference within
            // 1e-4 of its maximum.
            let reference = try Self.readNPYPlane("model/chelsea/cam_head.npy", plane: 1, side: 7)
            let peak = reference.max() ?? 1
            let worst = zip(heatmap.map.values, reference).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4 * peak, "max |Δ| \(worst) vs peak \(peak)")

            let scoring = ScoringRepository(client: client, logger: logger)
            // As above, the application's scoring worker may have scored it already; otherwise ours does.
            let scorer = ScoringWorker(client: client, settings: ScoringWorkerSettings(), logger: logger)
            #expect(try await scorer.drainQueue() <= 1)
            #expect(try await !scoring.isBeingScored(runID: runID))
            let score = try #require(try await scoring.findLatestScore(runID: runID))
            #expect(score.verdict == "pass" || score.verdict == "fail")
            #expect(score.errorCode == nil)
            let diagnosis = try #require(score.diagnosisJSON)
            let parsed = try JSONParser.parse(Array(diagnosis.utf8))
            let tabby = try #require(parsed["attention_diagnosis"]?["tabby"])
            #expect(tabby["kind"]?.stringValue == "focus")
            #expect(tabby["metrics"]?["energy_ratio"]?.numberValue != nil)
            #expect(parsed["verdict"]?.stringValue == score.verdict)
            #expect((parsed["unmatched_heatmaps"]?.arrayValue ?? [.null]).isEmpty)

            try await app.test(.router) { testClient in
                let browser = Browser(client: testClient)
                try await browser.signIn(email: "reviewer@example.org", password: Self.password)
                let done = try await browser.get(jobURL)
                #expect(done.status == .ok)
                let html = String(buffer: done.body)
                #expect(html.contains("data-verdict=\"\(score.verdict)\""))
                #expect(!html.contains("http-equiv=\"refresh\""))
                let json = try await testClient.executeRequest(
                    uri: jobURL + "?format=json", method: .get,
                    headers: [.cookie: browser.jar.header, .accept: "application/json"], body: nil)
                let status = try JSONParser.parse(Array(String(buffer: json.body).utf8))
                #expect(status["status"]?.stringValue == "done")
                #expect(status["verdict"]?.stringValue == score.verdict)
            }
        }
    }

    @Test("computeRun (the demo's path) stores a builtin run at stage5, queued for scoring")
    func computeRunDirectly() async throws {
        let weights = try Self.requireWeights()
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await Self.makeFixture(client: client, logger: logger, label: "tabbies")
            let worker = BuiltInHeatmapWorker(
                client: client, service: BuiltInHeatmapService(weightsPath: weights), logger: logger)
            let runID = try await worker.computeRun(
                projectID: fixture.project.id, imageID: fixture.image.id, promptVersionID: fixture.prompt.id,
                layer: .stage5, createdBy: fixture.engineer.id)
            let runs = RunRepository(client: client, logger: logger)
            let heatmaps = try await runs.listHeatmaps(runID: runID)
            #expect(heatmaps.map(\.label) == ["tabbies"])
            #expect(heatmaps.first?.width == 14)
            #expect(heatmaps.first?.source == .builtin)
            #expect(try await ScoringRepository(client: client, logger: logger).isBeingScored(runID: runID))
        }
    }

    @Test("stage5 layer gives a 14×14 map matching the reference")
    func stage5Layer() async throws {
        let weights = try Self.requireWeights()
        let service = BuiltInHeatmapService(weightsPath: weights)
        let maps = try await service.computeMaps(
            imageBytes: try Self.chelseaBytes(), targets: [BuiltInTarget(label: "tabby", classIndex: 281)], layer: .stage5)
        let map = try #require(maps.first)
        #expect(map.width == 14 && map.height == 14)
        let reference = try Self.readNPYPlane("model/chelsea/cam_stage5.npy", plane: 1, side: 14)
        let peak = reference.max() ?? 1
        let worst = zip(map.values, reference).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-4 * peak, "max |Δ| \(worst) vs peak \(peak)")
    }

    @Test("refusals: a label with no ImageNet class, an unknown chosen class, a reviewer")
    func refusals() async throws {
        _ = try Self.requireWeights()
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await Self.makeFixture(client: client, logger: logger, label: "xyzzy gadget")
            let app = try await makeTestApplication(client: client, logger: logger)
            let base = "/projects/\(fixture.project.id)/images/\(fixture.image.id)/builtin"
            let prompt = fixture.prompt.id.description
            try await app.test(.router) { testClient in
                let engineer = Browser(client: testClient)
                try await engineer.signIn(email: "engineer@example.org", password: Self.password)
                let imagePage = try await engineer.get("/projects/\(fixture.project.id)/images/\(fixture.image.id)")
                #expect(String(buffer: imagePage.body).contains("data-builtin-choice"))
                // Automatic matching (no class fields): nothing matches.
                let automatic = try await engineer.post(base, form: [("prompt_version_id", prompt)])
                #expect(automatic.status == .unprocessableContent)
                #expect(String(buffer: automatic.body).contains("label or alias is an ImageNet class"))
                // The form with the region left empty: same refusal.
                let empty = try await engineer.post(base, form: [("prompt_version_id", prompt), ("class_0", "")])
                #expect(empty.status == .unprocessableContent)
                // A chosen class that is not an ImageNet class.
                let unknown = try await engineer.post(
                    base, form: [("prompt_version_id", prompt), ("class_0", "flux capacitor")])
                #expect(unknown.status == .unprocessableContent)
                #expect(String(buffer: unknown.body).contains("is not one of the 1000 ImageNet classes"))
                // A bad layer.
                let layer = try await engineer.post(
                    base, form: [("prompt_version_id", prompt), ("class_0", "tabby"), ("layer", "stage9")])
                #expect(layer.status == .unprocessableContent)

                let reviewer = Browser(client: testClient)
                try await reviewer.signIn(email: "reviewer@example.org", password: Self.password)
                let reviewerImagePage = try await reviewer.get("/projects/\(fixture.project.id)/images/\(fixture.image.id)")
                #expect(reviewerImagePage.status == .ok)
                #expect(!String(buffer: reviewerImagePage.body).contains("data-builtin-choice"))
                let page = try await reviewer.get(base)
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("Only engineers can compute built-in heatmaps."))
                let forbidden = try await reviewer.post(base, form: [("prompt_version_id", prompt), ("class_0", "tabby")])
                #expect(forbidden.status == .forbidden)
                let project = try await reviewer.post(
                    "/projects/\(fixture.project.id)/builtin",
                    form: [("prompt_version_id", prompt), ("image_\(fixture.image.id)", "on")])
                #expect(project.status == .forbidden)
            }
            #expect(try await BuiltInJobRepository(client: client, logger: logger).countOpenJobs() == 0)
            #expect(try await RunRepository(client: client, logger: logger).listRuns(imageID: fixture.image.id).isEmpty)
        }
    }

    @Test("missing weights: the choice is disabled with an explanation and the handler refuses (503)")
    func missingWeights() async throws {
        let missing = BuiltInHeatmapService(weightsPath: "/nonexistent/efficientnet-lite0-57934424.pth")
        let availability = await missing.checkAvailability()
        #expect(!availability.isAvailable)
        #expect(availability.reason?.contains("/nonexistent/efficientnet-lite0-57934424.pth") == true)
        await #expect(throws: BuiltInHeatmapError.self) {
            _ = try await missing.computeMaps(
                imageBytes: try Self.chelseaBytes(), targets: [BuiltInTarget(label: "tabby", classIndex: 281)],
                layer: .head)
        }
        #expect(!(await BuiltInHeatmapService(weightsPath: nil).checkAvailability().isAvailable))

        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await Self.makeFixture(client: client, logger: logger, label: "tabby")
            let root = TestDatabase.repositoryRoot()
            let configuration = AppConfiguration(
                host: "127.0.0.1", port: 0, dataDirectory: FileManager.default.temporaryDirectory.path,
                logLevel: .warning, bcryptCost: 4, templatesDirectory: root.appendingPathComponent("templates").path,
                staticDirectory: root.appendingPathComponent("static").path)
            let views = try await ViewRenderer(directory: root.appendingPathComponent("templates").path)
            let services = AppServices(
                client: client, views: views, configuration: configuration, logger: logger, builtInHeatmaps: missing)
            let router = buildRouter(
                services: services, staticDirectory: root.appendingPathComponent("static").path, logger: logger)
            let app = Application(router: router, logger: logger)
            let base = "/projects/\(fixture.project.id)/images/\(fixture.image.id)/builtin"
            try await app.test(.router) { testClient in
                let engineer = Browser(client: testClient)
                try await engineer.signIn(email: "engineer@example.org", password: Self.password)
                let page = try await engineer.get(base)
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(html.contains("data-builtin-unavailable"))
                #expect(html.contains("<fieldset disabled>"))
                let refused = try await engineer.post(
                    base, form: [("prompt_version_id", fixture.prompt.id.description), ("class_0", "tabby")])
                #expect(refused.status == .serviceUnavailable)
                #expect(String(buffer: refused.body).contains("missing or unreadable"))
                let projectPage = try await engineer.get("/projects/\(fixture.project.id)/builtin")
                #expect(String(buffer: projectPage.body).contains("<fieldset disabled>"))
            }
            #expect(try await BuiltInJobRepository(client: client, logger: logger).countOpenJobs() == 0)
        }
    }
}
