import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Storage
import TestSupport
import Web

/// Builds the application on a test schema's client, with the repository's templates and static files.
func makeTestApplication(client: PostgresClient, logger: Logger) async throws -> some ApplicationProtocol {
    let root = TestDatabase.repositoryRoot()
    let configuration = AppConfiguration(
        host: "127.0.0.1", port: 0, dataDirectory: FileManager.default.temporaryDirectory.path, logLevel: .warning,
        bcryptCost: 4, templatesDirectory: root.appendingPathComponent("templates").path,
        staticDirectory: root.appendingPathComponent("static").path)
    return try await buildApplication(configuration: configuration, client: client, logger: logger)
}

/// A minimal cookie jar for tests: remembers `Set-Cookie` values and sends them back.
final class CookieJar: @unchecked Sendable {
    private let lock = NSLock()
    private var cookies: [String: String] = [:]

    func store(from response: TestResponse) {
        lock.lock()
        defer { lock.unlock() }
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            if parts[1].isEmpty || field.value.lowercased().contains("max-age=0") {
                cookies[String(parts[0])] = nil
            } else {
                cookies[String(parts[0])] = String(parts[1])
            }
        }
    }

    func remove(_ name: String) {
        lock.lock()
        defer { lock.unlock() }
        cookies[name] = nil
    }

    func value(_ name: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return cookies[name]
    }

    var header: String {
        lock.lock()
        defer { lock.unlock() }
        return cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }
}

/// A browser-like client: cookies, CSRF token from the cookie, urlencoded forms.
struct Browser: Sendable {
    let client: any TestClientProtocol
    let jar = CookieJar()

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: "text/html"]
        if !jar.header.isEmpty { headers[.cookie] = jar.header }
        let response = try await client.executeRequest(uri: uri, method: .get, headers: headers, body: nil)
        jar.store(from: response)
        return response
    }

    /// Posts a form; `_csrf` is added from the cookie unless `csrf` is given (use "" to omit it).
    @discardableResult
    func post(_ uri: String, form: [(String, String)], csrf: String? = nil) async throws -> TestResponse {
        var fields = form
        let token = csrf ?? jar.value("sightline_csrf") ?? ""
        if !token.isEmpty { fields.append(("_csrf", token)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers: HTTPFields = [
            .accept: "text/html", .contentType: "application/x-www-form-urlencoded",
        ]
        if !jar.header.isEmpty { headers[.cookie] = jar.header }
        let response = try await client.executeRequest(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        jar.store(from: response)
        return response
    }

    /// Signs in (fetching the login page first for the CSRF cookie).
    @discardableResult
    func signIn(email: String, password: String) async throws -> TestResponse {
        try await get("/login")
        return try await post("/login", form: [("email", email), ("password", password), ("next", "/")])
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ""
    }
}
