import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

@Suite("Health, pages and security headers")
struct HealthAndPagesTests {
    @Test("GET /healthz answers 200 {\"status\":\"ok\"} when PostgreSQL is reachable")
    func healthzOK() async throws {
        try await TestDatabase.withSchema { schema in
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/healthz", method: .get)
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            }
        }
    }

    @Test("the login page renders from templates/ with a CSRF field and the security headers")
    func loginPageRenders() async throws {
        try await TestDatabase.withSchema { schema in
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/login", method: .get, headers: [.accept: "text/html"])
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<title>Sign in · Sightline</title>"), "layout.mustache")
                #expect(html.contains(#"<form method="post" action="/login""#), "auth/login.mustache")
                #expect(html.contains(#"href="/static/css/app.css""#))
                #expect(html.contains(#"name="_csrf" value=""#), "partials/csrf.mustache")
                #expect(!html.contains("<script>"), "no inline script")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                Self.expectSecurityHeaders(response.headers)
                let setCookie = response.headers[values: .setCookie].joined(separator: "\n")
                #expect(setCookie.contains("sightline_csrf="))
                #expect(setCookie.contains("HttpOnly"))
                #expect(setCookie.contains("SameSite=Lax"))
            }
        }
    }

    @Test("static files are served with the security headers; unknown paths 404 with them too")
    func staticAndNotFound() async throws {
        try await TestDatabase.withSchema { schema in
            let app = try await makeTestApplication(client: try schema.requireClient(), logger: schema.logger)
            try await app.test(.router) { client in
                let css = try await client.execute(uri: "/static/css/app.css", method: .get)
                #expect(css.status == .ok)
                #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
                Self.expectSecurityHeaders(css.headers)
                let missing = try await client.execute(
                    uri: "/no/such/page", method: .get, headers: [.accept: "text/html"])
                #expect(missing.status == .notFound)
                Self.expectSecurityHeaders(missing.headers)
            }
        }
    }

    static func expectSecurityHeaders(_ headers: HTTPFields, sourceLocation: SourceLocation = #_sourceLocation) {
        let csp = headers[.contentSecurityPolicy] ?? ""
        #expect(csp.contains("default-src 'self'"), sourceLocation: sourceLocation)
        #expect(csp.contains("frame-ancestors 'none'"), sourceLocation: sourceLocation)
        #expect(!csp.contains("unsafe-inline"), sourceLocation: sourceLocation)
        #expect(headers[.xContentTypeOptions] == "nosniff", sourceLocation: sourceLocation)
        #expect(headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", sourceLocation: sourceLocation)
        #expect(headers[HTTPField.Name("X-Frame-Options")!] == "DENY", sourceLocation: sourceLocation)
    }
}
