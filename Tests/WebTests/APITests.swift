import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport
@testable import Web

/// Every `/api/v1` endpoint: success, bad token, wrong project, bad heatmap, NaN heatmap, missing image.
@Suite("Token API")
struct APITests {
    static func headers(_ token: String?, contentType: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.accept: "application/json"]
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let contentType { fields[.contentType] = contentType }
        return fields
    }

    static func errorCode(_ response: TestResponse) throws -> String? {
        try parseJSON(response)["error"]?["code"]?.stringValue
    }

    /// A second project with its own engineer token (for "wrong project").
    static func otherProjectToken(client: PostgresClient, logger: Logger) async throws -> (Project, String) {
        let other = try await DevelopmentFixture.make(client: client, logger: logger, projectName: "Other")
        return (other.project, other.token)
    }

    @Test("images, prompt versions, runs, diagnosis and comparison with a valid token")
    func successPaths() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let app = try await makeTestApplication(client: client, logger: logger)
            let project = fixture.project.id
            try await app.test(.router) { api in
                let images = try await api.executeRequest(
                    uri: "/api/v1/projects/\(project)/images", method: .get, headers: Self.headers(fixture.token), body: nil)
                #expect(images.status == .ok)
                let listed = try #require(try parseJSON(images)["images"]?.arrayValue)
                #expect(listed.count == 1)
                #expect(listed.first?["width"]?.numberValue == 320)
                #expect(listed.first?["regions"]?["regions"]?.arrayValue?.count == 2)

                let created = try await api.executeRequest(
                    uri: "/api/v1/projects/\(project)/prompt-versions", method: .post,
                    headers: Self.headers(fixture.token, contentType: "application/json"),
                    body: ByteBuffer(string: #"{"name": "Describe", "text": "Describe the cat in detail.", "prompt_id": "\#(fixture.prompt.promptID)"}"#))
                #expect(created.status == .created)
                let version = try parseJSON(created)
                #expect(version["version"]?.numberValue == 2)
                let versionID = try #require(version["id"]?.stringValue)

                let listedVersions = try await api.executeRequest(
                    uri: "/api/v1/projects/\(project)/prompt-versions", method: .get, headers: Self.headers(fixture.token), body: nil)
                #expect(try parseJSON(listedVersions)["prompt_versions"]?.arrayValue?.count == 2)

                var form = MultipartBody()
                form.addField("prompt_version_id", versionID)
                form.addField("image_id", fixture.image.id.description)
                form.addField("model", "llava-test")
                form.addField("description", "A kitten sits on a chair.")
                form.addField("latency_ms", "250")
                form.addFile("heatmap[cat]", fileName: "a.npy", bytes: NPYWriter.float32(DevelopmentFixture.catHeatmap(onTarget: true)))
                form.addFile("heatmaps", fileName: "chair.npy", bytes: NPYWriter.float32(DevelopmentFixture.blob(cx: 0.5, cy: 0.9)))
                let posted = try await api.executeRequest(
                    uri: "/api/v1/projects/\(project)/runs", method: .post,
                    headers: Self.headers(fixture.token, contentType: form.contentType), body: form.buffer)
                #expect(posted.status == .created)
                let run = try parseJSON(posted)
                #expect(run["status"]?.stringValue == "scoring")
                #expect(run["heatmaps"]?.arrayValue?.compactMap { $0["label"]?.stringValue } == ["cat", "chair"])
                #expect(run["latency_ms"]?.numberValue == 250)
                let runID = try #require(run["id"]?.stringValue)

                let early = try await api.executeRequest(
                    uri: "/api/v1/runs/\(runID)/diagnosis", method: .get, headers: Self.headers(fixture.token), body: nil)
                #expect(early.status == .accepted)

                try await finishScoring(client: client, logger: logger)

                let diagnosis = try await api.executeRequest(
                    uri: "/api/v1/runs/\(runID)/diagnosis", method: .get, headers: Self.headers(fixture.token), body: nil)
                #expect(diagnosis.status == .ok)
                // Exactly the engine's §6 JSON for the same input.
                let expected = try Scorer.diagnose(
                    ScoringInput(
                        width: 320, height: 213, regions: try RegionSet.parse(Array(DevelopmentFixture.regionsJSON.utf8)),
                        heatmaps: [("cat", DevelopmentFixture.catHeatmap(onTarget: true)),
                                   ("chair", DevelopmentFixture.blob(cx: 0.5, cy: 0.9))],
                        description: "A kitten sits on a chair."),
                    options: RunScoring.makeOptions(.defaults))
                #expect(String(buffer: diagnosis.body) == expected.jsonText())
                #expect(try parseJSON(diagnosis)["unmatched_heatmaps"] == .array([.string("chair")]))

                let fetched = try await api.executeRequest(
                    uri: "/api/v1/runs/\(runID)", method: .get, headers: Self.headers(fixture.token), body: nil)
                #expect(fetched.status == .ok)
                let fetchedRun = try parseJSON(fetched)
                #expect(fetchedRun["engine_version"]?.stringValue == EngineVersion.current)
                #expect(fetchedRun["status"]?.stringValue == expected.jsonValue()["verdict"]?.stringValue)

                let comparison = try await api.executeRequest(
                    uri: "/api/v1/projects/\(project)/comparison", method: .get, headers: Self.headers(fixture.token), body: nil)
                #expect(comparison.status == .ok)
                let rows = try #require(try parseJSON(comparison)["prompt_versions"]?.arrayValue)
                #expect(rows.count == 2)
                #expect(rows.contains { $0["images_scored"]?.numberValue == 1 })

                // A new revision replacing the cat heatmap keeps the chair heatmap.
                var revision = MultipartBody()
                revision.addField("run_id", runID)
                revision.addFile("file", fileName: "cat.json", bytes: Array("[[0, 1], [1, 0]]".utf8))
                let revised = try await api.executeRequest(
                    uri: "/api/v1/projects/\(project)/runs", method: .post,
                    headers: Self.headers(fixture.token, contentType: revision.contentType), body: revision.buffer)
                #expect(revised.status == .created)
                let revisedRun = try parseJSON(revised)
                #expect(revisedRun["revision"]?.numberValue == 2)
                #expect(revisedRun["lineage_id"]?.stringValue == runID)
                let heatmaps = revisedRun["heatmaps"]?.arrayValue ?? []
                #expect(heatmaps.count == 2)
                #expect(heatmaps.first { $0["label"]?.stringValue == "cat" }?["width"]?.numberValue == 2)
            }
        }
    }

    @Test("missing, malformed, unknown and revoked tokens are 401 with a JSON error")
    func badTokens() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let fixture = try await DevelopmentFixture.make(client: client, logger: schema.logger)
            let tokens = TokenRepository(client: client, logger: schema.logger)
            let (revoked, revokedSecret) = try await tokens.createToken(
                projectID: fixture.project.id, userID: fixture.engineer.id, name: "old")
            try await tokens.revokeToken(id: revoked.id, projectID: fixture.project.id, userID: fixture.engineer.id)
            let app = try await makeTestApplication(client: client, logger: schema.logger)
            let paths: [(HTTPRequest.Method, String)] = [
                (.get, "/api/v1/projects/\(fixture.project.id)/images"),
                (.get, "/api/v1/projects/\(fixture.project.id)/prompt-versions"),
                (.post, "/api/v1/projects/\(fixture.project.id)/prompt-versions"),
                (.post, "/api/v1/projects/\(fixture.project.id)/runs"),
                (.get, "/api/v1/runs/\(UUID().uuidString.lowercased())"),
                (.get, "/api/v1/runs/\(UUID().uuidString.lowercased())/diagnosis"),
                (.get, "/api/v1/projects/\(fixture.project.id)/comparison"),
            ]
            try await app.test(.router) { api in
                for (method, path) in paths {
                    for token in [nil, "sl_unknown", revokedSecret] {
                        let response = try await api.executeRequest(
                            uri: path, method: method, headers: Self.headers(token), body: nil)
                        #expect(response.status == .unauthorized, "\(method) \(path) token \(token ?? "none")")
                        #expect(try Self.errorCode(response) == "unauthorized")
                        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    }
                    var basic = Self.headers(nil)
                    basic[.authorization] = "Basic dXNlcjpwYXNz"
                    let response = try await api.executeRequest(uri: path, method: method, headers: basic, body: nil)
                    #expect(response.status == .unauthorized)
                }
            }
        }
    }

    @Test("a token of another project is refused (403 for its paths, 404 for its runs)")
    func wrongProject() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let run = try await fixture.createRun(client: client, logger: logger)
            let (_, otherToken) = try await Self.otherProjectToken(client: client, logger: logger)
            let app = try await makeTestApplication(client: client, logger: logger)
            try await app.test(.router) { api in
                for (method, path) in [
                    (HTTPRequest.Method.get, "/api/v1/projects/\(fixture.project.id)/images"),
                    (.get, "/api/v1/projects/\(fixture.project.id)/prompt-versions"),
                    (.post, "/api/v1/projects/\(fixture.project.id)/prompt-versions"),
                    (.post, "/api/v1/projects/\(fixture.project.id)/runs"),
                    (.get, "/api/v1/projects/\(fixture.project.id)/comparison"),
                ] {
                    let response = try await api.executeRequest(uri: path, method: method, headers: Self.headers(otherToken), body: nil)
                    #expect(response.status == .forbidden, "\(method) \(path)")
                    #expect(try Self.errorCode(response) == "forbidden")
                }
                for path in ["/api/v1/runs/\(run.id)", "/api/v1/runs/\(run.id)/diagnosis"] {
                    let response = try await api.executeRequest(uri: path, method: .get, headers: Self.headers(otherToken), body: nil)
                    #expect(response.status == .notFound, "\(path)")
                    #expect(try Self.errorCode(response) == "not_found")
                }
            }
        }
    }

    @Test("a reviewer's token may read but not upload; a removed member's token stops working")
    func rolesBehindTokens() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let projects = ProjectRepository(client: client, logger: logger)
            try await projects.upsertMember(projectID: fixture.project.id, userID: fixture.engineer.id, role: .reviewer)
            let app = try await makeTestApplication(client: client, logger: logger)
            try await app.test(.router) { api in
                let read = try await api.executeRequest(
                    uri: "/api/v1/projects/\(fixture.project.id)/images", method: .get, headers: Self.headers(fixture.token), body: nil)
                #expect(read.status == .ok)
                let write = try await api.executeRequest(
                    uri: "/api/v1/projects/\(fixture.project.id)/prompt-versions", method: .post,
                    headers: Self.headers(fixture.token, contentType: "application/json"),
                    body: ByteBuffer(string: #"{"name": "x", "text": "y"}"#))
                #expect(write.status == .forbidden)
                try await projects.deleteMember(projectID: fixture.project.id, userID: fixture.engineer.id)
                let gone = try await api.executeRequest(
                    uri: "/api/v1/projects/\(fixture.project.id)/images", method: .get, headers: Self.headers(fixture.token), body: nil)
                #expect(gone.status == .notFound)
            }
        }
    }

    @Test("bad heatmaps, NaN heatmaps, missing images and bad requests store nothing")
    func badUploads() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let app = try await makeTestApplication(client: client, logger: logger)
            @Sendable func upload(_ api: any TestClientProtocol, image: String, files: [(String, String, [UInt8])]) async throws -> TestResponse {
                var form = MultipartBody()
                form.addField("prompt_version_id", fixture.prompt.id.description)
                form.addField("image_id", image)
                form.addField("description", "A cat.")
                for (name, fileName, bytes) in files { form.addFile(name, fileName: fileName, bytes: bytes) }
                return try await api.executeRequest(
                    uri: "/api/v1/projects/\(fixture.project.id)/runs", method: .post,
                    headers: Self.headers(fixture.token, contentType: form.contentType), body: form.buffer)
            }
            let good = NPYWriter.float32(DevelopmentFixture.catHeatmap(onTarget: true))
            var nanMap = DevelopmentFixture.blob(cx: 0.5, cy: 0.5, size: 4)
            nanMap.values[5] = .nan
            let nan = nanMap
            try await app.test(.router) { api in
                let garbage = try await upload(api, image: fixture.image.id.description, files: [
                    ("heatmap[cat]", "cat.npy", good), ("heatmap[dog]", "dog.bin", Array("not a heatmap".utf8)),
                ])
                #expect(garbage.status == .unprocessableContent)
                #expect(try Self.errorCode(garbage) == "unsupported_heatmap")
                #expect(try parseJSON(garbage)["error"]?["message"]?.stringValue?.contains("dog") == true)

                let nanResponse = try await upload(api, image: fixture.image.id.description, files: [
                    ("heatmap[cat]", "cat.npy", NPYWriter.float32(nan)),
                ])
                #expect(nanResponse.status == .unprocessableContent)
                #expect(try Self.errorCode(nanResponse) == "non_finite_heatmap")

                let jsonNaN = try await upload(api, image: fixture.image.id.description, files: [
                    ("heatmap[cat]", "cat.json", Array("[[1, 2], [3, 1e400]]".utf8)),
                ])
                #expect(jsonNaN.status == .unprocessableContent)
                #expect(try Self.errorCode(jsonNaN) == "non_finite_heatmap")

                let missing = try await upload(api, image: UUID().uuidString.lowercased(), files: [("heatmap[cat]", "cat.npy", good)])
                #expect(missing.status == .notFound)
                #expect(try Self.errorCode(missing) == "not_found")

                let notAnID = try await upload(api, image: "nope", files: [("heatmap[cat]", "cat.npy", good)])
                #expect(notAnID.status == .notFound)

                let noFiles = try await upload(api, image: fixture.image.id.description, files: [])
                #expect(noFiles.status == .badRequest)
                #expect(try Self.errorCode(noFiles) == "invalid_request")

                let twice = try await upload(api, image: fixture.image.id.description, files: [
                    ("heatmap[cat]", "a.npy", good), ("heatmap[Cat]", "b.npy", good),
                ])
                #expect(twice.status == .badRequest)

                let notMultipart = try await api.executeRequest(
                    uri: "/api/v1/projects/\(fixture.project.id)/runs", method: .post,
                    headers: Self.headers(fixture.token, contentType: "application/json"), body: ByteBuffer(string: "{}"))
                #expect(notMultipart.status == .badRequest)

                let badJSON = try await api.executeRequest(
                    uri: "/api/v1/projects/\(fixture.project.id)/prompt-versions", method: .post,
                    headers: Self.headers(fixture.token, contentType: "application/json"), body: ByteBuffer(string: "{name"))
                #expect(badJSON.status == .unprocessableContent)
                #expect(try Self.errorCode(badJSON) == "invalid_json")

                let emptyName = try await api.executeRequest(
                    uri: "/api/v1/projects/\(fixture.project.id)/prompt-versions", method: .post,
                    headers: Self.headers(fixture.token, contentType: "application/json"),
                    body: ByteBuffer(string: #"{"name": " ", "text": "t"}"#))
                #expect(emptyName.status == .badRequest)
            }
            let runs = try await RunRepository(client: client, logger: logger).listRuns(projectID: fixture.project.id)
            #expect(runs.isEmpty)
        }
    }

    @Test("every registered /api/v1 route is in the OpenAPI document and every documented one is registered")
    func openAPIConformance() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let root = TestDatabase.repositoryRoot()
            let configuration = AppConfiguration(
                host: "127.0.0.1", port: 0, logLevel: .warning, bcryptCost: 4,
                templatesDirectory: root.appendingPathComponent("templates").path,
                staticDirectory: root.appendingPathComponent("static").path)
            let views = try await ViewRenderer(directory: root.appendingPathComponent("templates").path)
            let services = AppServices(client: client, views: views, configuration: configuration, logger: schema.logger)
            let router = buildRouter(
                services: services, staticDirectory: root.appendingPathComponent("static").path, logger: schema.logger)
            func normalise(_ path: String) -> String {
                path.replacingOccurrences(of: #"\{[^}]*\}"#, with: "{}", options: .regularExpression)
            }
            let registered = Set(
                router.routes.map { "\($0.method.rawValue.lowercased()) \(normalise("\($0.path)"))" }
                    .filter { $0.contains(" /api/v1/") })
            let data = try Data(contentsOf: root.appendingPathComponent("static/openapi.json"))
            let document = try JSONParser.parse(Array(data))
            #expect(document["openapi"]?.stringValue?.hasPrefix("3.1") == true)
            var documented = Set<String>()
            for (path, item) in document["paths"]?.objectValue ?? [] {
                for (method, operation) in item.objectValue ?? [] {
                    documented.insert("\(method) \(normalise(path))")
                    #expect(operation["responses"]?.objectValue?.isEmpty == false, "\(method) \(path) lists responses")
                }
            }
            #expect(!registered.isEmpty)
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented))")
            #expect(documented.subtracting(registered).isEmpty, "not implemented: \(documented.subtracting(registered))")

            // The served document is the file.
            let app = try await makeTestApplication(client: client, logger: schema.logger)
            try await app.test(.router) { api in
                let response = try await api.executeRequest(uri: "/api/v1/openapi.json", method: .get, headers: [:], body: nil)
                #expect(response.status == .ok)
                #expect(try parseJSON(response) == document)
            }
        }
    }

    @Test("responses carry every property the OpenAPI schemas mark required")
    func responsesMatchSchemas() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let run = try await fixture.createRun(client: client, logger: logger)
            try await ScoringWorker(client: client, settings: .init(), logger: logger).drainQueue()
            let data = try Data(contentsOf: TestDatabase.repositoryRoot().appendingPathComponent("static/openapi.json"))
            let schemas = try #require(try JSONParser.parse(Array(data))["components"]?["schemas"])
            @Sendable func required(_ name: String) -> [String] {
                schemas[name]?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            }
            let app = try await makeTestApplication(client: client, logger: logger)
            try await app.test(.router) { api in
                let checks: [(String, String, (JSONValue) -> JSONValue?)] = [
                    ("/api/v1/runs/\(run.id)", "Run", { $0 }),
                    ("/api/v1/runs/\(run.id)/diagnosis", "Diagnosis", { $0 }),
                    ("/api/v1/projects/\(fixture.project.id)/images", "Image", { $0["images"]?.arrayValue?.first }),
                    ("/api/v1/projects/\(fixture.project.id)/prompt-versions", "PromptVersion", { $0["prompt_versions"]?.arrayValue?.first }),
                    ("/api/v1/projects/\(fixture.project.id)/comparison", "Comparison", { $0 }),
                ]
                for (path, schemaName, pick) in checks {
                    let response = try await api.executeRequest(uri: path, method: .get, headers: Self.headers(fixture.token), body: nil)
                    #expect(response.status == .ok, "\(path)")
                    let object = try #require(pick(try parseJSON(response)))
                    let keys = Set((object.objectValue ?? []).map(\.0))
                    for key in required(schemaName) { #expect(keys.contains(key), "\(schemaName) lacks \(key)") }
                }
            }
        }
    }
}
