import Foundation
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite("Repositories")
struct RepositoryTests {
    @Test("users: create, find case-insensitively, refuse duplicates")
    func users() async throws {
        try await TestDatabase.withSchema { schema in
            let users = UserRepository(client: try schema.requireClient(), logger: schema.logger)
            #expect(try await users.countUsers() == 0)
            let created = try await users.createUser(
                email: " Ada@Example.org ", displayName: "Ada", passwordHash: "hash", isAdmin: true)
            #expect(created.email == "ada@example.org")
            #expect(try await users.findUser(email: "ADA@example.org")?.id == created.id)
            #expect(try await users.findUser(id: created.id)?.displayName == "Ada")
            await #expect(throws: StorageError.duplicate("a user with e-mail ada@example.org")) {
                try await users.createUser(email: "ada@example.org", displayName: "", passwordHash: "h", isAdmin: false)
            }
            try await users.updatePasswordHash(userID: created.id, passwordHash: "new")
            #expect(try await users.findUser(id: created.id)?.passwordHash == "new")
            #expect(try await users.countUsers() == 1)
        }
    }

    @Test("projects: the creator is manager; non-members have no role")
    func projects() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let users = UserRepository(client: client, logger: schema.logger)
            let projects = ProjectRepository(client: client, logger: schema.logger)
            let alice = try await users.createUser(email: "a@x.org", displayName: "A", passwordHash: "h", isAdmin: false)
            let bob = try await users.createUser(email: "b@x.org", displayName: "B", passwordHash: "h", isAdmin: false)
            let project = try await projects.createProject(name: "Street scenes", description: "d", creator: alice.id)
            #expect(try await projects.findRole(projectID: project.id, userID: alice.id) == .manager)
            #expect(try await projects.findRole(projectID: project.id, userID: bob.id) == nil)
            #expect(try await projects.listProjects(memberID: bob.id).isEmpty)
            try await projects.upsertMember(projectID: project.id, userID: bob.id, role: .reviewer)
            #expect(try await projects.findRole(projectID: project.id, userID: bob.id) == .reviewer)
            try await projects.upsertMember(projectID: project.id, userID: bob.id, role: .engineer)
            #expect(try await projects.listMembers(projectID: project.id).map(\.role) == [.manager, .engineer])
            #expect(try await projects.listProjects(memberID: bob.id).map(\.id) == [project.id])
            try await projects.deleteMember(projectID: project.id, userID: bob.id)
            #expect(try await projects.findRole(projectID: project.id, userID: bob.id) == nil)
            await #expect(throws: StorageError.self) {
                try await projects.createProject(name: "  ", description: "", creator: alice.id)
            }
        }
    }

    @Test("sessions: create, duplicate key, read with TTL, delete by user")
    func sessions() async throws {
        try await TestDatabase.withSchema { schema in
            let sessions = SessionRepository(client: try schema.requireClient(), logger: schema.logger)
            let user = User.ID.generate()
            #expect(try await sessions.createSession(key: "k1", json: #"{"userID":"\#(user)"}"#, expiresIn: .seconds(60)))
            #expect(try await !sessions.createSession(key: "k1", json: "{}", expiresIn: .seconds(60)))
            let found = try #require(try await sessions.findSession(key: "k1"))
            #expect(found.json.contains(user.description))
            let ttl = try #require(found.expiresIn)
            #expect(ttl > .seconds(0) && ttl <= .seconds(60))
            try await sessions.upsertSession(key: "k1", json: #"{"userID":"\#(user)","x":1}"#, expiresIn: nil)
            #expect(try await sessions.findSession(key: "k1")?.expiresIn != nil, "expiry kept when nil")
            try await sessions.upsertSession(key: "k2", json: #"{"userID":"\#(user)"}"#, expiresIn: .seconds(0))
            #expect(try await sessions.findSession(key: "k2") == nil, "expired sessions are invisible")
            try await sessions.deleteSessions(userID: user, exceptKey: nil)
            #expect(try await sessions.findSession(key: "k1") == nil)
        }
    }

    @Test("login attempts: failures since the last success are counted")
    func loginAttempts() async throws {
        try await TestDatabase.withSchema { schema in
            let attempts = LoginAttemptRepository(client: try schema.requireClient(), logger: schema.logger)
            for _ in 0..<3 {
                try await attempts.recordLoginAttempt(email: "A@x.org", remoteAddress: "127.0.0.1", succeeded: false)
            }
            #expect(try await attempts.countRecentFailures(email: "a@x.org", window: .seconds(900)) == 3)
            #expect(try await attempts.countRecentFailures(email: "other@x.org", window: .seconds(900)) == 0)
            try await attempts.recordLoginAttempt(email: "a@x.org", remoteAddress: "127.0.0.1", succeeded: true)
            #expect(try await attempts.countRecentFailures(email: "a@x.org", window: .seconds(900)) == 0)
        }
    }

    @Test("typed IDs round-trip through PostgreSQL and JSON")
    func typedIDs() async throws {
        let id = Project.ID.generate()
        let json = try JSONEncoder().encode(id)
        #expect(String(decoding: json, as: UTF8.self) == "\"\(id.rawValue.uuidString)\"")
        #expect(try JSONDecoder().decode(Project.ID.self, from: json) == id)
        #expect(Project.ID(id.description) == id)
        #expect(Project.ID("not-a-uuid") == nil)
    }
}
