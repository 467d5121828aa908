import Engine
import Foundation
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Storage
import TestSupport
import Web

/// A project ready for review in the web tests: a manager, an engineer, a reviewer, an outsider and an admin
/// (password "password for tests"), real PNG images with regions, a prompt version with runs, scored by the
/// real engine (`RunScoring`) on the test's side so the result never depends on the server's worker timing.
struct ReviewTestFixture: Sendable {
    static let password = "password for tests"
    let client: PostgresClient
    let logger: Logger
    let users: [String: User]
    let project: Project

    var images: ImageRepository { ImageRepository(client: client, logger: logger) }
    var regions: RegionRepository { RegionRepository(client: client, logger: logger) }
    var prompts: PromptRepository { PromptRepository(client: client, logger: logger) }
    var runs: RunRepository { RunRepository(client: client, logger: logger) }
    var scoring: ScoringRepository { ScoringRepository(client: client, logger: logger) }
    var projects: ProjectRepository { ProjectRepository(client: client, logger: logger) }
    var signOffs: SignOffRepository { SignOffRepository(client: client, logger: logger) }
    var tokens: TokenRepository { TokenRepository(client: client, logger: logger) }
    var audit: AuditRepository { AuditRepository(client: client, logger: logger) }

    func user(_ role: String) throws -> User {
        guard let user = users[role] else { throw TestSupportError("no user \(role)") }
        return user
    }

    static func make(_ schema: TestSchema) async throws -> ReviewTestFixture {
        let client = try schema.requireClient()
        let repository = UserRepository(client: client, logger: schema.logger)
        let hash = try await PasswordHasher(cost: 4).hashPassword(password)
        var users: [String: User] = [:]
        for role in ["manager", "engineer", "reviewer", "outsider", "admin"] {
            users[role] = try await repository.createUser(
                email: "\(role)@example.org", displayName: role.capitalized, passwordHash: hash, isAdmin: role == "admin")
        }
        let projects = ProjectRepository(client: client, logger: schema.logger)
        guard let manager = users["manager"], let engineer = users["engineer"], let reviewer = users["reviewer"] else {
            throw TestSupportError("users")
        }
        let project = try await projects.createProject(name: "Pets", description: "", creator: manager.id)
        try await projects.upsertMember(
            projectID: project.id, userID: engineer.id, role: .engineer, actor: manager.id)
        try await projects.upsertMember(
            projectID: project.id, userID: reviewer.id, role: .reviewer, actor: manager.id)
        return ReviewTestFixture(client: client, logger: schema.logger, users: users, project: project)
    }

    /// A real 40×30 PNG (a gradient), stored as original, display copy and thumbnail.
    func addImage(_ name: String, shade: UInt8 = 0) async throws -> Storage.Image {
        var pixels = [UInt8](repeating: 0, count: 40 * 30 * 3)
        for y in 0..<30 {
            for x in 0..<40 {
                pixels[(y * 40 + x) * 3] = UInt8(x * 6)
                pixels[(y * 40 + x) * 3 + 1] = UInt8(y * 8)
                pixels[(y * 40 + x) * 3 + 2] = shade
            }
        }
        let png = ImageEncoder.png(RGBImage(width: 40, height: 30, pixels: pixels))
        let bytes = ByteBuffer(bytes: png)
        return try await images.createImage(
            NewImage(
                projectID: project.id, fileName: name, sha256: HeatmapEncoding.computeSHA256(bytes), format: "png",
                width: 40, height: 30, original: bytes, displayJPEG: bytes, displayWidth: 40, displayHeight: 30,
                thumbnailJPEG: bytes, uploadedBy: try user("manager").id))
    }

    /// A focus rectangle `label` at (x, 5) 20×15; with `avoid`, also an avoid rectangle of that label in the
    /// bottom-right corner (which needs no heatmap of its own).
    @discardableResult
    func saveRegions(_ image: Storage.Image, label: String = "cat", x: Int = 5, avoid: String? = nil) async throws
        -> RegionVersion
    {
        let avoidRegion = avoid.map {
            #", {"label": "\#($0)", "kind": "avoid", "shapes": [{"type": "rect", "x": 30, "y": 22, "width": 8, "height": 6}]}"#
        } ?? ""
        let json = #"{"regions": [{"label": "\#(label)", "kind": "focus", "shapes": [{"type": "rect", "x": \#(x), "y": 5, "width": 20, "height": 15}]}\#(avoidRegion)]}"#
        return try await regions.createRegionVersion(
            imageID: image.id, regions: try RegionSet.parse(Array(json.utf8)), summary: "box at \(x)",
            createdBy: try user("manager").id)
    }

    /// A heatmap 8×6 that is hot at the region (good: passes) or in the opposite corner (bad: fails).
    static func heatmap(_ label: String, good: Bool) -> NewHeatmap {
        var values = [Float](repeating: 0, count: 8 * 6)
        let rows = good ? 1...3 : 4...5
        let columns = good ? 1...4 : 6...7
        for row in rows { for column in columns { values[row * 8 + column] = 1 } }
        return NewHeatmap(label: label, map: FloatMap(width: 8, height: 6, values: values), fileName: "\(label).npy")
    }

    func createPrompt(_ text: String = "Describe the pet.") async throws -> PromptVersion {
        try await prompts.createPrompt(projectID: project.id, name: "Describe", text: text, createdBy: try user("engineer").id)
    }

    @discardableResult
    func createRun(_ version: PromptVersion, _ image: Storage.Image, good: Bool = true, label: String = "cat") async throws
        -> Run
    {
        try await runs.createRun(
            NewRun(
                projectID: project.id, promptVersionID: version.id, imageID: image.id, modelName: "llava-1.5",
                description: "A cat on a rug.", latencyMs: 100, source: .api, createdBy: try user("engineer").id),
            heatmaps: [Self.heatmap(label, good: good)])
    }

    /// The usual starting point of a review test: `cat.png` with a focus region `cat`, one prompt version and one
    /// good run of it, scored.
    func makeScoredRun() async throws -> (image: Storage.Image, version: PromptVersion, run: Run) {
        let cat = try await addImage("cat.png")
        try await saveRegions(cat)
        let version = try await createPrompt()
        let run = try await createRun(version, cat)
        try await scoreAll()
        return (cat, version, run)
    }

    /// Scores every open job with the real engine; waits for jobs another worker holds.
    func scoreAll() async throws {
        for _ in 0..<4000 {
            if let claim = try await scoring.claimJob(workerID: "review-test", lease: .seconds(60)) {
                if let snapshot = try await scoring.fetchScoringSnapshot(runID: claim.runID) {
                    try await scoring.completeJob(claim, score: RunScoring.score(snapshot))
                } else {
                    try await scoring.releaseJob(claim, error: "run gone")
                }
                continue
            }
            if try await scoring.countOpenJobs() == 0 { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw TestSupportError("scoring jobs stayed open")
    }
}

/// Runs `body` with the test application (router mode, services running) and a signed-in browser per role.
func withReviewApp(
    _ fixture: ReviewTestFixture, _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
    try await app.test(.router) { client in try await body(client) }
}

extension Browser {
    /// A browser signed in as `role@example.org`.
    static func signedIn(_ role: String, client: any TestClientProtocol) async throws -> Browser {
        let browser = Browser(client: client)
        try await browser.signIn(email: "\(role)@example.org", password: ReviewTestFixture.password)
        return browser
    }
}
