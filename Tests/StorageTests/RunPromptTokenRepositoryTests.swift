import Engine
import Foundation
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

/// Prompt versions, runs with heatmaps and revisions, and API tokens in the real PostgreSQL.
@Suite("Prompt, run and token repositories")
struct PromptRunTokenRepositoryTests {
    struct Setup {
        let user: User
        let project: Project
        let image: Image
    }

    static func makeSetup(_ client: PostgresClient, _ logger: Logger) async throws -> Setup {
        let user = try await UserRepository(client: client, logger: logger)
            .createUser(email: "e\(UUID().uuidString.prefix(6))@example.org", displayName: "E", passwordHash: "x", isAdmin: false)
        let project = try await ProjectRepository(client: client, logger: logger)
            .createProject(name: "P", description: "", creator: user.id)
        let bytes = ByteBuffer(string: "not decoded here")
        let image = try await ImageRepository(client: client, logger: logger).createImage(
            NewImage(
                projectID: project.id, fileName: "a.png", sha256: String(repeating: "a", count: 64), format: "png",
                width: 10, height: 8, original: bytes, displayJPEG: bytes, displayWidth: 10, displayHeight: 8,
                thumbnailJPEG: bytes, uploadedBy: user.id))
        return Setup(user: user, project: project, image: image)
    }

    @Test("editing a prompt without runs changes it in place; with runs it creates the next version")
    func promptVersions() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let setup = try await Self.makeSetup(client, schema.logger)
            let prompts = PromptRepository(client: client, logger: schema.logger)
            let first = try await prompts.createPrompt(projectID: setup.project.id, name: "A", text: "one", createdBy: setup.user.id)
            let edited = try await prompts.editPrompt(versionID: first.id, name: "A", text: "two", editedBy: setup.user.id)
            #expect(edited.id == first.id && edited.version == 1 && edited.text == "two")
            _ = try await RunRepository(client: client, logger: schema.logger).createRun(
                NewRun(projectID: setup.project.id, promptVersionID: first.id, imageID: setup.image.id, modelName: "m",
                       description: nil, latencyMs: nil, source: .api, createdBy: setup.user.id),
                heatmaps: [NewHeatmap(label: "x", map: FloatMap(width: 1, height: 1, values: [1]))])
            let second = try await prompts.editPrompt(versionID: first.id, name: "A", text: "three", editedBy: setup.user.id)
            #expect(second.id != first.id && second.version == 2 && second.promptID == first.promptID)
            #expect(try await prompts.findPromptVersion(id: first.id)?.text == "two")
            #expect(try await prompts.findPromptVersion(id: first.id)?.runCount == 1)
            await #expect(throws: StorageError.self) {
                try await prompts.createPrompt(projectID: setup.project.id, name: " ", text: "t", createdBy: nil)
            }
            #expect(try await prompts.listLatestPromptVersions(projectID: setup.project.id).map(\.version) == [2])
        }
    }

    @Test("heatmaps round-trip as float32 with their SHA-256; a revision replaces one keyword and keeps the rest")
    func runsAndRevisions() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let setup = try await Self.makeSetup(client, schema.logger)
            let prompt = try await PromptRepository(client: client, logger: schema.logger)
                .createPrompt(projectID: setup.project.id, name: "A", text: "t", createdBy: nil)
            let runs = RunRepository(client: client, logger: schema.logger)
            let girl = FloatMap(width: 3, height: 2, values: [0, 0.5, 1, -2, 3.25, Float.leastNonzeroMagnitude])
            let run = try await runs.createRun(
                NewRun(projectID: setup.project.id, promptVersionID: prompt.id, imageID: setup.image.id, modelName: "m",
                       description: "d", latencyMs: 5, source: .api, createdBy: setup.user.id),
                heatmaps: [NewHeatmap(label: "girl", map: girl), NewHeatmap(label: "dog", map: girl)])
            let stored = try await runs.fetchHeatmaps(runID: run.id)
            #expect(stored.map(\.heatmap.label) == ["girl", "dog"])
            #expect(stored[0].map == girl)
            #expect(stored[0].heatmap.sha256 == HeatmapEncoding.computeSHA256(HeatmapEncoding.encodeValues(girl)))
            let replacement = FloatMap(width: 1, height: 1, values: [7])
            let revision = try await runs.createRevision(
                of: run.id, heatmaps: [NewHeatmap(label: "GIRL", map: replacement)], description: nil, modelName: nil,
                latencyMs: nil, source: .browser, createdBy: setup.user.id)
            #expect(revision.revision == 2 && revision.lineageID == run.id && revision.description == "d")
            let revised = try await runs.fetchHeatmaps(runID: revision.id)
            #expect(Set(revised.map(\.heatmap.label)) == ["dog", "GIRL"])
            #expect(revised.first { $0.heatmap.label == "GIRL" }?.map == replacement)
            #expect(try await runs.fetchHeatmaps(runID: run.id).count == 2)  // revision 1 is kept
            #expect(try await runs.listRevisions(lineageID: run.id).map(\.revision) == [2, 1])
            let scoring = ScoringRepository(client: client, logger: schema.logger)
            #expect(try await scoring.isBeingScored(runID: revision.id))
            // Another project's image is refused.
            let other = try await Self.makeSetup(client, schema.logger)
            await #expect(throws: StorageError.self) {
                try await runs.createRun(
                    NewRun(projectID: setup.project.id, promptVersionID: prompt.id, imageID: other.image.id, modelName: "",
                           description: nil, latencyMs: nil, source: .api, createdBy: nil),
                    heatmaps: [NewHeatmap(label: "x", map: replacement)])
            }
        }
    }

    @Test("tokens are stored hashed, resolve by secret, and stop working when revoked")
    func tokens() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let setup = try await Self.makeSetup(client, schema.logger)
            let tokens = TokenRepository(client: client, logger: schema.logger)
            let (token, secret) = try await tokens.createToken(projectID: setup.project.id, userID: setup.user.id, name: "ci")
            #expect(secret.hasPrefix("sl_") && secret.count == 43)
            let rows = try await client.query("SELECT token_hash FROM api_tokens", logger: schema.logger)
            for try await hash in rows.decode(String.self) {
                #expect(hash == TokenRepository.hashSecret(secret))
                #expect(!hash.contains(secret))
            }
            #expect(try await tokens.findActiveToken(secret: secret)?.id == token.id)
            #expect(try await tokens.findActiveToken(secret: secret + "x") == nil)
            try await tokens.revokeToken(id: token.id, projectID: setup.project.id, userID: setup.user.id)
            #expect(try await tokens.findActiveToken(secret: secret) == nil)
            #expect(try await tokens.listTokens(projectID: setup.project.id, userID: setup.user.id).first?.revokedAt != nil)
        }
    }
}
