import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

@Suite("Sign-in, sessions, CSRF and throttling")
struct LoginTests {
    static func createUser(_ schema: TestSchema, email: String, password: String, admin: Bool = false) async throws
        -> User
    {
        let hash = try await PasswordHasher(cost: 4).hashPassword(password)
        return try await UserRepository(client: try schema.requireClient(), logger: schema.logger)
            .createUser(email: email, displayName: "Test \(email)", passwordHash: hash, isAdmin: admin)
    }

    @Test("signing in stores a session in PostgreSQL and opens the projects page; signing out ends it")
    func signInAndOut() async throws {
        try await TestDatabase.withSchema { schema in
            _ = try await Self.createUser(schema, email: "pm@example.org", password: "correct horse battery")
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let browser = Browser(client: client)
                let anonymous = try await browser.get("/")
                #expect(anonymous.status == .found)
                #expect(anonymous.headers[.location] == "/login?next=/")

                let response = try await browser.signIn(email: "PM@example.org", password: "correct horse battery")
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/")
                let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("sightline_session=") } ?? ""
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Lax"))
                let rows = try await schema.requireClient().query("SELECT count(*) FROM sessions")
                for try await count in rows.decode(Int64.self) { #expect(count == 1) }

                let home = try await browser.get("/")
                #expect(home.status == .ok)
                #expect(String(buffer: home.body).contains("Test pm@example.org"))

                let out = try await browser.post("/logout", form: [])
                #expect(out.status == .seeOther)
                let after = try await schema.requireClient().query("SELECT count(*) FROM sessions")
                for try await count in after.decode(Int64.self) { #expect(count == 0) }
            }
        }
    }

    @Test("a wrong password is refused with 401 and the form again")
    func wrongPassword() async throws {
        try await TestDatabase.withSchema { schema in
            _ = try await Self.createUser(schema, email: "pm@example.org", password: "correct horse battery")
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let browser = Browser(client: client)
                let response = try await browser.signIn(email: "pm@example.org", password: "wrong password!")
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("Wrong e-mail address or password."))
                #expect(response.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("sightline_session=") })
            }
        }
    }

    @Test("a form without the CSRF token is refused with 403 before any handler runs")
    func csrfRequired() async throws {
        try await TestDatabase.withSchema { schema in
            _ = try await Self.createUser(schema, email: "pm@example.org", password: "correct horse battery")
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let browser = Browser(client: client)
                try await browser.get("/login")
                let missing = try await browser.post(
                    "/login", form: [("email", "pm@example.org"), ("password", "correct horse battery")], csrf: "")
                #expect(missing.status == .forbidden)
                let wrong = try await browser.post(
                    "/login", form: [("email", "pm@example.org"), ("password", "correct horse battery")],
                    csrf: CSRFMiddleware.generateToken())
                #expect(wrong.status == .forbidden)
                let attempts = try await LoginAttemptRepository(client: try schema.requireClient(), logger: schema.logger)
                    .countRecentFailures(email: "pm@example.org", window: .seconds(60))
                #expect(attempts == 0, "the handler never ran")
            }
        }
    }

    @Test("after five failures sign-in is throttled (429), even with the right password")
    func throttling() async throws {
        try await TestDatabase.withSchema { schema in
            _ = try await Self.createUser(schema, email: "pm@example.org", password: "correct horse battery")
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let browser = Browser(client: client)
                for _ in 0..<5 {
                    let response = try await browser.signIn(email: "pm@example.org", password: "nope nope nope")
                    #expect(response.status == .unauthorized)
                }
                let blocked = try await browser.signIn(email: "pm@example.org", password: "correct horse battery")
                #expect(blocked.status == .tooManyRequests)
                #expect(String(buffer: blocked.body).contains("Too many failed sign-in attempts"))
                #expect(blocked.headers[.retryAfter] != nil)
            }
        }
    }

    @Test("only local paths are followed after sign-in")
    func openRedirectRefused() async throws {
        try await TestDatabase.withSchema { schema in
            _ = try await Self.createUser(schema, email: "pm@example.org", password: "correct horse battery")
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let browser = Browser(client: client)
                try await browser.get("/login")
                let response = try await browser.post(
                    "/login",
                    form: [("email", "pm@example.org"), ("password", "correct horse battery"), ("next", "//evil.example/")])
                #expect(response.headers[.location] == "/")
            }
        }
    }
}
