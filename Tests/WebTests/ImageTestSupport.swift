import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Storage
import TestSupport
import Web

/// Fixture files and multipart requests for the image, region and import tests.
enum ImageFixtures {
    /// `Tests/Fixtures/images/<relative>` read as bytes.
    static func readImage(_ relative: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/images/\(relative)")
        return Array(try Data(contentsOf: url))
    }

    /// A `multipart/form-data` body with the given text fields and files.
    static func makeMultipart(fields: [(String, String)] = [], files: [(field: String, name: String, bytes: [UInt8])])
        -> (body: ByteBuffer, contentType: String)
    {
        let boundary = "----sightline-test-\(UUID().uuidString)"
        var buffer = ByteBuffer()
        for (name, value) in fields {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            buffer.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n")
            buffer.writeBytes(file.bytes)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return (buffer, "multipart/form-data; boundary=\(boundary)")
    }
}

extension Browser {
    /// How a multipart post carries the CSRF token.
    enum TokenPlacement { case header, query, none }

    /// Posts files (and fields) as `multipart/form-data`, like `upload.js` (token in the header, JSON wanted) or
    /// the plain form (token in the query, HTML wanted).
    @discardableResult
    func postMultipart(
        _ uri: String, fields: [(String, String)] = [], files: [(field: String, name: String, bytes: [UInt8])],
        token: TokenPlacement = .header, acceptJSON: Bool = true
    ) async throws -> TestResponse {
        let (body, contentType) = ImageFixtures.makeMultipart(fields: fields, files: files)
        let csrf = jar.value("sightline_csrf") ?? ""
        var headers: HTTPFields = [.accept: acceptJSON ? "application/json" : "text/html", .contentType: contentType]
        if !jar.header.isEmpty { headers[.cookie] = jar.header }
        var target = uri
        switch token {
        case .header: headers[HTTPField.Name("X-CSRF-Token")!] = csrf
        case .query: target += (uri.contains("?") ? "&" : "?") + "_csrf=\(csrf)"
        case .none: break
        }
        let response = try await client.executeRequest(uri: target, method: .post, headers: headers, body: body)
        jar.store(from: response)
        return response
    }

    /// Posts a JSON body with the CSRF token in the header.
    @discardableResult
    func postJSON(_ uri: String, json: String) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: "application/json", .contentType: "application/json"]
        if !jar.header.isEmpty { headers[.cookie] = jar.header }
        headers[HTTPField.Name("X-CSRF-Token")!] = jar.value("sightline_csrf") ?? ""
        let response = try await client.executeRequest(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
        jar.store(from: response)
        return response
    }
}

/// A project with a manager (signed in through `Browser`), for the design-stage handler tests.
struct DesignFixture: Sendable {
    let client: PostgresClient
    let logger: Logger
    let manager: User
    let project: Project
    let images: ImageRepository
    let regions: RegionRepository

    static let password = "password for tests"

    /// Creates users `manager@example.org` (project manager), `engineer@…`, `reviewer@…`, `outsider@…`, `admin@…`.
    static func makeFixture(schema: TestSchema) async throws -> DesignFixture {
        let client = try schema.requireClient()
        let users = UserRepository(client: client, logger: schema.logger)
        let projects = ProjectRepository(client: client, logger: schema.logger)
        let hash = try await PasswordHasher(cost: 4).hashPassword(password)
        var created: [String: User] = [:]
        for name in ["manager", "engineer", "reviewer", "outsider", "admin"] {
            created[name] = try await users.createUser(
                email: "\(name)@example.org", displayName: name.capitalized, passwordHash: hash, isAdmin: name == "admin")
        }
        guard let manager = created["manager"], let engineer = created["engineer"], let reviewer = created["reviewer"]
        else { throw TestSupportError("users were not created") }
        let project = try await projects.createProject(name: "Street scenes", description: "", creator: manager.id)
        try await projects.upsertMember(projectID: project.id, userID: engineer.id, role: .engineer)
        try await projects.upsertMember(projectID: project.id, userID: reviewer.id, role: .reviewer)
        return DesignFixture(
            client: client, logger: schema.logger, manager: manager, project: project,
            images: ImageRepository(client: client, logger: schema.logger),
            regions: RegionRepository(client: client, logger: schema.logger))
    }

    var imagesPath: String { "/projects/\(project.id)/images" }

    /// Signs `name` in on a fresh browser.
    func signIn(_ name: String, client testClient: any TestClientProtocol) async throws -> Browser {
        let browser = Browser(client: testClient)
        try await browser.signIn(email: "\(name)@example.org", password: Self.password)
        return browser
    }
}
