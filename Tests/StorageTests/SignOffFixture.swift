import Engine
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Storage
import TestSupport

/// A small project for sign-off, comment and audit tests: users, images with regions, a prompt, runs and a fake
/// scorer that completes every open job with a chosen verdict.
struct SignOffFixture: Sendable {
    let client: PostgresClient
    let logger: Logger
    let manager: User
    let engineer: User
    let reviewer: User
    let project: Project

    var users: UserRepository { UserRepository(client: client, logger: logger) }
    var projects: ProjectRepository { ProjectRepository(client: client, logger: logger) }
    var images: ImageRepository { ImageRepository(client: client, logger: logger) }
    var regions: RegionRepository { RegionRepository(client: client, logger: logger) }
    var prompts: PromptRepository { PromptRepository(client: client, logger: logger) }
    var runs: RunRepository { RunRepository(client: client, logger: logger) }
    var scoring: ScoringRepository { ScoringRepository(client: client, logger: logger) }
    var signOffs: SignOffRepository { SignOffRepository(client: client, logger: logger) }
    var comments: CommentRepository { CommentRepository(client: client, logger: logger) }
    var audit: AuditRepository { AuditRepository(client: client, logger: logger) }

    static func make(_ schema: TestSchema) async throws -> SignOffFixture {
        let client = try schema.requireClient()
        let users = UserRepository(client: client, logger: schema.logger)
        let manager = try await users.createUser(
            email: "manager@example.org", displayName: "Mona Manager", passwordHash: "x", isAdmin: false)
        let engineer = try await users.createUser(
            email: "engineer@example.org", displayName: "Eve Engineer", passwordHash: "x", isAdmin: false)
        let reviewer = try await users.createUser(
            email: "reviewer@example.org", displayName: "Rita Reviewer", passwordHash: "x", isAdmin: false)
        let projects = ProjectRepository(client: client, logger: schema.logger)
        let project = try await projects.createProject(name: "Review", description: "", creator: manager.id)
        try await projects.upsertMember(projectID: project.id, userID: engineer.id, role: .engineer)
        try await projects.upsertMember(projectID: project.id, userID: reviewer.id, role: .reviewer)
        return SignOffFixture(
            client: client, logger: schema.logger, manager: manager, engineer: engineer, reviewer: reviewer,
            project: project)
    }

    /// Stores a fake 40×30 image (the bytes are never decoded by these tests).
    func addImage(_ name: String) async throws -> Storage.Image {
        let bytes = ByteBuffer(string: "image \(name)")
        let sha = HeatmapEncoding.computeSHA256(bytes)
        return try await images.createImage(
            NewImage(
                projectID: project.id, fileName: name, sha256: sha, format: "png", width: 40, height: 30,
                original: bytes, displayJPEG: bytes, displayWidth: 40, displayHeight: 30, thumbnailJPEG: bytes,
                uploadedBy: manager.id))
    }

    /// Saves a one-rectangle focus region `label` at `x`.
    @discardableResult
    func saveRegions(_ image: Storage.Image, label: String = "cat", x: Int = 5) async throws -> RegionVersion {
        let json = #"{"regions": [{"label": "\#(label)", "kind": "focus", "shapes": [{"type": "rect", "x": \#(x), "y": 5, "width": 10, "height": 10}]}]}"#
        let set = try RegionSet.parse(Array(json.utf8))
        return try await regions.createRegionVersion(
            imageID: image.id, regions: set, summary: "rectangle at \(x)", createdBy: manager.id)
    }

    static func heatmap(_ label: String, value: Float = 0.5) -> NewHeatmap {
        var values = [Float](repeating: 0, count: 8 * 6)
        values[9] = value
        values[10] = 1
        return NewHeatmap(label: label, map: FloatMap(width: 8, height: 6, values: values), fileName: "\(label).npy")
    }

    func createRun(_ version: PromptVersion, _ image: Storage.Image, model: String = "llava-1.5") async throws -> Run {
        try await runs.createRun(
            NewRun(
                projectID: project.id, promptVersionID: version.id, imageID: image.id, modelName: model,
                description: "A cat sits.", latencyMs: 120, source: .api, createdBy: engineer.id),
            heatmaps: [Self.heatmap("cat")])
    }

    /// Completes every open scoring job with `verdict` (a fake scorer), recording the current regions version and
    /// the project thresholds like the real worker does.
    func scoreAll(verdict: String = "pass") async throws {
        while let claim = try await scoring.claimJob(workerID: "test", lease: .seconds(60)) {
            let snapshot = try await scoring.fetchScoringSnapshot(runID: claim.runID)
            let t = snapshot?.thresholds ?? .defaults
            let thresholds =
                #"{"min_energy": \#(t.minEnergy), "min_coverage": \#(t.minCoverage), "max_energy": \#(t.maxEnergy), "hot_threshold": \#(t.hotThreshold), "pointing_tolerance": 15}"#
            try await scoring.completeJob(
                claim,
                score: NewRunScore(
                    verdict: verdict, diagnosisJSON: verdict == "error" ? nil : #"{"verdict": "\#(verdict)"}"#,
                    errorCode: verdict == "error" ? "no_regions" : nil, errorMessage: nil,
                    engineVersion: "test-engine/1", regionVersionID: snapshot?.regionVersion?.id,
                    thresholdsJSON: thresholds))
        }
    }

    func signOff(
        _ version: PromptVersion, _ decision: SignOffDecision, comment: String = "", by user: User? = nil,
        expectedDigest: String? = nil, expectedSequence: Int? = nil
    ) async throws -> SignOff {
        let user = user ?? reviewer
        return try await signOffs.createSignOff(
            NewSignOff(
                promptVersionID: version.id, reviewerID: user.id, reviewerName: user.displayName, decision: decision,
                comment: comment, expectedDigest: expectedDigest, expectedSequence: expectedSequence))
    }

    func status(_ version: PromptVersion) async throws -> SignOffState {
        guard let state = try await signOffs.evaluateStatus(promptVersionID: version.id) else {
            throw TestSupportError("no status for \(version.id)")
        }
        return state
    }
}
