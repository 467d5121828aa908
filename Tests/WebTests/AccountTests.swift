import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

@Suite("Accounts, projects and escaping")
struct AccountTests {
    @Test("changing the password signs out other browsers and the new password works")
    func changePassword() async throws {
        try await TestDatabase.withSchema { schema in
            _ = try await LoginTests.createUser(schema, email: "u@example.org", password: "first password")
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let laptop = Browser(client: client)
                let phone = Browser(client: client)
                try await laptop.signIn(email: "u@example.org", password: "first password")
                try await phone.signIn(email: "u@example.org", password: "first password")
                #expect(try await phone.get("/").status == .ok)

                let short = try await laptop.post(
                    "/account/password",
                    form: [("current_password", "first password"), ("new_password", "short"), ("confirm_password", "short")])
                #expect(short.status == .badRequest)
                let changed = try await laptop.post(
                    "/account/password",
                    form: [("current_password", "first password"), ("new_password", "second password"),
                           ("confirm_password", "second password")])
                #expect(changed.status == .seeOther)
                #expect(try await laptop.get("/").status == .ok, "this browser stays signed in")
                #expect(try await phone.get("/").status == .found, "the other browser is signed out")
                let fresh = Browser(client: client)
                #expect(try await fresh.signIn(email: "u@example.org", password: "first password").status == .unauthorized)
                #expect(try await fresh.signIn(email: "u@example.org", password: "second password").status == .seeOther)
            }
        }
    }

    @Test("creating a project makes the creator manager; user text is HTML-escaped")
    func createProjectEscapes() async throws {
        try await TestDatabase.withSchema { schema in
            _ = try await LoginTests.createUser(schema, email: "pm@example.org", password: "password for tests")
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let browser = Browser(client: client)
                try await browser.signIn(email: "pm@example.org", password: "password for tests")
                let created = try await browser.post(
                    "/projects", form: [("name", "<script>alert(1)</script>"), ("description", "a & b")])
                #expect(created.status == .seeOther)
                let location = try #require(created.headers[.location])
                let page = try await browser.get(location)
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(!html.contains("<script>alert(1)</script>"))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(html.contains("a &amp; b"))
                #expect(html.contains("Your role: manager"))
                let bad = try await browser.post("/projects", form: [("name", "   ")])
                #expect(bad.status == .badRequest)
            }
        }
    }

    @Test("an administrator creates an account whose generated password signs in")
    func adminCreatesUser() async throws {
        try await TestDatabase.withSchema { schema in
            _ = try await LoginTests.createUser(schema, email: "root@example.org", password: "password for tests", admin: true)
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let admin = Browser(client: client)
                try await admin.signIn(email: "root@example.org", password: "password for tests")
                let response = try await admin.post(
                    "/admin/users", form: [("email", "new@example.org"), ("name", "New"), ("role", "member")])
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                let marker = "Password (shown once): <code>"
                let start = try #require(html.range(of: marker))
                let password = String(html[start.upperBound...].prefix { $0 != "<" })
                #expect(password.count == 20)
                let newcomer = Browser(client: client)
                #expect(try await newcomer.signIn(email: "new@example.org", password: password).status == .seeOther)
                let duplicate = try await admin.post("/admin/users", form: [("email", "new@example.org"), ("role", "member")])
                #expect(duplicate.status == .badRequest)
            }
        }
    }
}
