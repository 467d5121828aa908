import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

/// Every role × every project action → the status the server answers (server-side checks; non-members 404).
@Suite("Role matrix")
struct RoleMatrixTests {
    enum Actor: String, CaseIterable, Sendable {
        case manager, engineer, reviewer, outsider, admin
    }

    struct Case: Sendable {
        let name: String
        let method: HTTPRequest.Method
        let path: String
        let form: [(String, String)]
        /// Expected status per actor.
        let expected: [Actor: HTTPResponse.Status]
    }

    static func cases(project: String, victim: String) -> [Case] {
        let view: [Actor: HTTPResponse.Status] = [
            .manager: .ok, .engineer: .ok, .reviewer: .ok, .outsider: .notFound, .admin: .ok,
        ]
        let managerPage: [Actor: HTTPResponse.Status] = [
            .manager: .ok, .engineer: .forbidden, .reviewer: .forbidden, .outsider: .notFound, .admin: .ok,
        ]
        let managerForm: [Actor: HTTPResponse.Status] = [
            .manager: .seeOther, .engineer: .forbidden, .reviewer: .forbidden, .outsider: .notFound, .admin: .seeOther,
        ]
        let adminOnly: [Actor: HTTPResponse.Status] = [
            .manager: .forbidden, .engineer: .forbidden, .reviewer: .forbidden, .outsider: .forbidden, .admin: .ok,
        ]
        return [
            Case(name: "view project", method: .get, path: "/projects/\(project)", form: [], expected: view),
            Case(name: "view members", method: .get, path: "/projects/\(project)/members", form: [], expected: view),
            Case(name: "open settings", method: .get, path: "/projects/\(project)/settings", form: [], expected: managerPage),
            Case(
                name: "save settings", method: .post, path: "/projects/\(project)/settings",
                form: [("name", "Renamed"), ("min_energy", "0.4"), ("min_coverage", "0.6"), ("max_energy", "0.2"),
                       ("hot_threshold", "0.5")],
                expected: managerForm),
            Case(
                name: "add member", method: .post, path: "/projects/\(project)/members",
                form: [("email", "victim@example.org"), ("role", "reviewer")], expected: managerForm),
            Case(
                name: "remove member", method: .post, path: "/projects/\(project)/members/\(victim)/delete", form: [],
                expected: managerForm),
            Case(name: "user admin page", method: .get, path: "/admin/users", form: [], expected: adminOnly),
        ]
    }

    @Test("each role × each action is allowed or answered 403/404")
    func roleMatrix() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let users = UserRepository(client: client, logger: schema.logger)
            let projects = ProjectRepository(client: client, logger: schema.logger)
            let hash = try await PasswordHasher(cost: 4).hashPassword("password for tests")
            var ids: [Actor: User.ID] = [:]
            for actor in Actor.allCases {
                ids[actor] = try await users.createUser(
                    email: "\(actor.rawValue)@example.org", displayName: actor.rawValue, passwordHash: hash,
                    isAdmin: actor == .admin
                ).id
            }
            let victim = try await users.createUser(
                email: "victim@example.org", displayName: "victim", passwordHash: hash, isAdmin: false)
            let manager = try #require(ids[.manager])
            let project = try await projects.createProject(name: "Matrix", description: "", creator: manager)
            try await projects.upsertMember(projectID: project.id, userID: try #require(ids[.engineer]), role: .engineer)
            try await projects.upsertMember(projectID: project.id, userID: try #require(ids[.reviewer]), role: .reviewer)

            let app = try await makeTestApplication(client: client, logger: schema.logger)
            try await app.test(.router) { testClient in
                for actor in Actor.allCases {
                    let browser = Browser(client: testClient)
                    let signIn = try await browser.signIn(email: "\(actor.rawValue)@example.org", password: "password for tests")
                    #expect(signIn.status == .seeOther, "\(actor) signs in")
                    for testCase in Self.cases(project: project.id.description, victim: victim.id.description) {
                        // The victim is a member before each removal attempt.
                        try await projects.upsertMember(projectID: project.id, userID: victim.id, role: .reviewer)
                        let response =
                            testCase.method == .get
                            ? try await browser.get(testCase.path)
                            : try await browser.post(testCase.path, form: testCase.form)
                        #expect(
                            response.status == testCase.expected[actor],
                            "\(actor) → \(testCase.name): got \(response.status.code)")
                    }
                }
                // Signed out: pages redirect to the sign-in page, forms are refused.
                let anonymous = Browser(client: testClient)
                let page = try await anonymous.get("/projects/\(project.id)")
                #expect(page.status == .found)
                try await anonymous.get("/login")
                let form = try await anonymous.post("/projects/\(project.id)/settings", form: [("name", "x")])
                #expect(form.status == .unauthorized)
            }
            // Nothing an outsider or a reviewer sent changed the project's manager.
            #expect(try await projects.findRole(projectID: project.id, userID: manager) == .manager)
        }
    }

    @Test("a non-member cannot tell an existing project from a missing one")
    func nonMemberSees404() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let users = UserRepository(client: client, logger: schema.logger)
            let hash = try await PasswordHasher(cost: 4).hashPassword("password for tests")
            let owner = try await users.createUser(email: "o@example.org", displayName: "o", passwordHash: hash, isAdmin: false)
            _ = try await users.createUser(email: "x@example.org", displayName: "x", passwordHash: hash, isAdmin: false)
            let project = try await ProjectRepository(client: client, logger: schema.logger)
                .createProject(name: "Secret", description: "", creator: owner.id)
            let app = try await makeTestApplication(client: client, logger: schema.logger)
            try await app.test(.router) { testClient in
                let browser = Browser(client: testClient)
                try await browser.signIn(email: "x@example.org", password: "password for tests")
                let existing = try await browser.get("/projects/\(project.id)")
                let missing = try await browser.get("/projects/\(Project.ID.generate())")
                #expect(existing.status == .notFound)
                #expect(missing.status == .notFound)
                #expect(!String(buffer: existing.body).contains("Secret"))
                let home = try await browser.get("/")
                #expect(!String(buffer: home.body).contains("Secret"))
            }
        }
    }
}
