import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Storage
import TestSupport
import Web

/// A project with one engineer, one image (the chelsea fixture, 320×213) with regions, one prompt version and an
/// API token: the starting point of the development-stage tests.
struct DevelopmentFixture: Sendable {
    let engineer: User
    let manager: User
    let project: Project
    let image: Image
    let prompt: PromptVersion
    let token: String
    let password: String

    /// `cat` (focus, the left two-thirds) and `corner` (avoid, top-right).
    static let regionsJSON = """
        {"regions": [
          {"label": "cat", "aliases": ["kitten"], "shapes": [{"type": "rect", "x": 20, "y": 20, "width": 180, "height": 180}]},
          {"label": "corner", "kind": "avoid", "shapes": [{"type": "rect", "x": 280, "y": 0, "width": 40, "height": 40}]}
        ]}
        """

    static func fixturePath(_ relative: String) -> String {
        TestDatabase.repositoryRoot().appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative).path
    }

    static func make(client: PostgresClient, logger: Logger, projectName: String = "Dev") async throws
        -> DevelopmentFixture
    {
        let users = UserRepository(client: client, logger: logger)
        let projects = ProjectRepository(client: client, logger: logger)
        let password = "password for tests"
        let hash = try await PasswordHasher(cost: 4).hashPassword(password)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let manager = try await users.createUser(
            email: "manager-\(suffix)@example.org", displayName: "Manager", passwordHash: hash, isAdmin: false)
        let engineer = try await users.createUser(
            email: "engineer-\(suffix)@example.org", displayName: "Engineer", passwordHash: hash, isAdmin: false)
        let project = try await projects.createProject(name: projectName, description: "", creator: manager.id)
        try await projects.upsertMember(projectID: project.id, userID: engineer.id, role: .engineer)
        let image = try await createImage(client: client, logger: logger, projectID: project.id, name: "chelsea")
        let regions = try RegionSet.parse(Array(regionsJSON.utf8))
        _ = try await RegionRepository(client: client, logger: logger)
            .createRegionVersion(imageID: image.id, regions: regions, summary: "first", createdBy: manager.id)
        let prompt = try await PromptRepository(client: client, logger: logger)
            .createPrompt(projectID: project.id, name: "Describe", text: "Describe the cat.", createdBy: engineer.id)
        let (_, token) = try await TokenRepository(client: client, logger: logger)
            .createToken(projectID: project.id, userID: engineer.id, name: "tests")
        return DevelopmentFixture(
            engineer: engineer, manager: manager, project: project, image: image, prompt: prompt, token: token,
            password: password)
    }

    /// Stores `Tests/Fixtures/model/NAME/NAME.png` as an image of the project.
    static func createImage(client: PostgresClient, logger: Logger, projectID: Project.ID, name: String) async throws
        -> Image
    {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixturePath("model/\(name)/\(name).png")))
        let decoded = try ImageDecoder.decode(Array(bytes))
        let buffer = ByteBuffer(bytes: bytes)
        return try await ImageRepository(client: client, logger: logger).createImage(
            NewImage(
                projectID: projectID, fileName: "\(name).png", sha256: Migration.computeChecksum(bytes), format: "png",
                width: decoded.width, height: decoded.height, original: buffer, displayJPEG: buffer,
                displayWidth: decoded.width, displayHeight: decoded.height, thumbnailJPEG: buffer, uploadedBy: nil))
    }

    /// A `size×size` heatmap with a Gaussian blob centred at (`cx`, `cy`) in 0…1 image coordinates.
    static func blob(cx: Double, cy: Double, size: Int = 32, sigma: Double = 0.12) -> FloatMap {
        var values = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let dx = (Double(x) + 0.5) / Double(size) - cx, dy = (Double(y) + 0.5) / Double(size) - cy
                values[y * size + x] = Float(exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)))
            }
        }
        return FloatMap(width: size, height: size, values: values)
    }

    /// A `size×size` map that is 1 inside the image-relative box (x0…x1, y0…y1 in 0…1) and 0.02 elsewhere.
    static func box(x0: Double, y0: Double, x1: Double, y1: Double, size: Int = 32) -> FloatMap {
        var values = [Float](repeating: 0.02, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let u = (Double(x) + 0.5) / Double(size), v = (Double(y) + 0.5) / Double(size)
                if u >= x0 && u <= x1 && v >= y0 && v <= y1 { values[y * size + x] = 1 }
            }
        }
        return FloatMap(width: size, height: size, values: values)
    }

    /// A heatmap filling the cat region (passes) or the right side of the image (fails).
    static func catHeatmap(onTarget: Bool) -> FloatMap {
        onTarget
            ? box(x0: 20.0 / 320, y0: 20.0 / 213, x1: 200.0 / 320, y1: 200.0 / 213)
            : box(x0: 210.0 / 320, y0: 20.0 / 213, x1: 310.0 / 320, y1: 200.0 / 213)
    }

    func createRun(client: PostgresClient, logger: Logger, onTarget: Bool = true, description: String? = "A cat.")
        async throws -> Run
    {
        try await RunRepository(client: client, logger: logger).createRun(
            NewRun(
                projectID: project.id, promptVersionID: prompt.id, imageID: image.id, modelName: "test-model",
                description: description, latencyMs: 120, source: .api, createdBy: engineer.id),
            heatmaps: [NewHeatmap(label: "cat", map: Self.catHeatmap(onTarget: onTarget))])
    }
}

/// A multipart/form-data body builder for tests.
struct MultipartBody {
    let boundary = "sightline-test-\(UUID().uuidString)"
    var data = Data()

    mutating func addField(_ name: String, _ value: String) {
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }

    mutating func addFile(_ name: String, fileName: String, bytes: [UInt8]) {
        data.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8))
        data.append(contentsOf: bytes)
        data.append(Data("\r\n".utf8))
    }

    var buffer: ByteBuffer {
        var all = data
        all.append(Data("--\(boundary)--\r\n".utf8))
        return ByteBuffer(bytes: all)
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}

/// Parses a JSON response body with the engine's parser.
func parseJSON(_ response: TestResponse) throws -> JSONValue {
    try JSONParser.parse(Array(response.body.readableBytesView))
}

/// Scores everything queued, also waiting for jobs a running application's own worker has claimed
/// (`app.test(.router)` runs the application's services).
func finishScoring(client: PostgresClient, logger: Logger) async throws {
    let worker = ScoringWorker(client: client, settings: .init(), logger: logger)
    let scoring = ScoringRepository(client: client, logger: logger)
    for _ in 0..<1000 {
        try await worker.drainQueue()
        if try await scoring.countOpenJobs() == 0 { return }
        try await Task.sleep(for: .milliseconds(20))
    }
}
