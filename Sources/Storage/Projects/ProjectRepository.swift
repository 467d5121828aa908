import Foundation
import Logging
import PostgresNIO

/// Reads and writes `projects` and `project_members`.
public struct ProjectRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Creates a project and makes `creator` its manager, in one transaction.
    public func createProject(name: String, description: String, creator: User.ID) async throws -> Project {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw StorageError.invalidValue("a project name needs 1 to 200 characters")
        }
        let id = Project.ID.generate()
        let manager = ProjectRole.manager.rawValue
        let logger = self.logger
        return try await DatabaseTransaction.run(client, actor: creator, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO projects (id, name, description, created_by)
                VALUES (\(id), \(name), \(description), \(creator))
                RETURNING id, name, description, created_by, created_at
                """, logger: logger)
            try await connection.query(
                "INSERT INTO project_members (project_id, user_id, role) VALUES (\(id), \(creator), \(manager))",
                logger: logger)
            guard let project = try await Self.decodeProjects(rows).first else {
                throw StorageError.notFound("project \(id) after insert")
            }
            return project
        }
    }

    /// The project with this id, if any.
    public func findProject(id: Project.ID) async throws -> Project? {
        let rows = try await client.query(
            "SELECT id, name, description, created_by, created_at FROM projects WHERE id = \(id)", logger: logger)
        return try await Self.decodeProjects(rows).first
    }

    /// Projects `userID` is a member of, by name.
    public func listProjects(memberID userID: User.ID) async throws -> [Project] {
        let rows = try await client.query(
            """
            SELECT p.id, p.name, p.description, p.created_by, p.created_at
            FROM projects p JOIN project_members m ON m.project_id = p.id
            WHERE m.user_id = \(userID) ORDER BY lower(p.name), p.created_at
            """, logger: logger)
        return try await Self.decodeProjects(rows)
    }

    /// Every project, by name (administrators).
    public func listProjects() async throws -> [Project] {
        let rows = try await client.query(
            "SELECT id, name, description, created_by, created_at FROM projects ORDER BY lower(name), created_at",
            logger: logger)
        return try await Self.decodeProjects(rows)
    }

    /// Renames a project or changes its description; `actor` is recorded in the audit log.
    public func updateProject(id: Project.ID, name: String, description: String, actor: User.ID? = nil) async throws {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw StorageError.invalidValue("a project name needs 1 to 200 characters")
        }
        let logger = self.logger
        try await DatabaseTransaction.run(client, actor: actor, logger: logger) { connection in
            let rows = try await connection.query(
                "UPDATE projects SET name = \(name), description = \(description) WHERE id = \(id) RETURNING id",
                logger: logger)
            guard try await rows.decode(Project.ID.self).first(where: { _ in true }) != nil else {
                throw StorageError.notFound("project \(id)")
            }
        }
    }

    /// The project's default thresholds.
    public func findThresholds(projectID: Project.ID) async throws -> ProjectThresholds {
        let rows = try await client.query(
            "SELECT min_energy, min_coverage, max_energy, hot_threshold FROM projects WHERE id = \(projectID)",
            logger: logger)
        for try await (minEnergy, minCoverage, maxEnergy, hot) in rows.decode((Float, Float, Float, Float).self) {
            return ProjectThresholds(minEnergy: minEnergy, minCoverage: minCoverage, maxEnergy: maxEnergy, hotThreshold: hot)
        }
        throw StorageError.notFound("project \(projectID)")
    }

    /// Replaces the project's default thresholds (validated first); `actor` is recorded in the audit log.
    public func updateThresholds(
        projectID: Project.ID, thresholds: ProjectThresholds, actor: User.ID? = nil
    ) async throws {
        if let problem = thresholds.validate() { throw StorageError.invalidValue(problem) }
        let logger = self.logger
        try await DatabaseTransaction.run(client, actor: actor, logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE projects SET min_energy = \(thresholds.minEnergy), min_coverage = \(thresholds.minCoverage),
                    max_energy = \(thresholds.maxEnergy), hot_threshold = \(thresholds.hotThreshold)
                WHERE id = \(projectID) RETURNING id
                """, logger: logger)
            guard try await rows.decode(Project.ID.self).first(where: { _ in true }) != nil else {
                throw StorageError.notFound("project \(projectID)")
            }
        }
    }

    /// The role of `userID` in `projectID`, or `nil` when not a member.
    public func findRole(projectID: Project.ID, userID: User.ID) async throws -> ProjectRole? {
        let rows = try await client.query(
            "SELECT role FROM project_members WHERE project_id = \(projectID) AND user_id = \(userID)", logger: logger)
        for try await role in rows.decode(String.self) { return ProjectRole(rawValue: role) }
        return nil
    }

    /// Adds a member or changes an existing member's role; `actor` (who did it) is recorded in the audit log.
    public func upsertMember(
        projectID: Project.ID, userID: User.ID, role: ProjectRole, actor: User.ID? = nil
    ) async throws {
        let role = role.rawValue
        let logger = self.logger
        do {
            try await DatabaseTransaction.run(client, actor: actor, logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO project_members (project_id, user_id, role) VALUES (\(projectID), \(userID), \(role))
                    ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role
                    """, logger: logger)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            throw StorageError.notFound("project \(projectID) or user \(userID)")
        }
    }

    /// Removes a member (no-op when not a member); `actor` is recorded in the audit log.
    public func deleteMember(projectID: Project.ID, userID: User.ID, actor: User.ID? = nil) async throws {
        let logger = self.logger
        try await DatabaseTransaction.run(client, actor: actor, logger: logger) { connection in
            try await connection.query(
                "DELETE FROM project_members WHERE project_id = \(projectID) AND user_id = \(userID)",
                logger: logger)
        }
    }

    /// Members of a project, by e-mail address.
    public func listMembers(projectID: Project.ID) async throws -> [ProjectMember] {
        let rows = try await client.query(
            """
            SELECT m.project_id, m.user_id, m.role, u.email, u.display_name, m.added_at
            FROM project_members m JOIN users u ON u.id = m.user_id
            WHERE m.project_id = \(projectID) ORDER BY u.email
            """, logger: logger)
        var members: [ProjectMember] = []
        for try await (projectID, userID, role, email, name, addedAt) in rows.decode(
            (Project.ID, User.ID, String, String, String, Date).self)
        {
            guard let role = ProjectRole(rawValue: role) else { continue }
            members.append(
                ProjectMember(
                    projectID: projectID, userID: userID, role: role, email: email, displayName: name, addedAt: addedAt))
        }
        return members
    }

    static func decodeProjects(_ rows: PostgresRowSequence) async throws -> [Project] {
        var projects: [Project] = []
        for try await (id, name, description, createdBy, createdAt) in rows.decode(
            (Project.ID, String, String, User.ID?, Date).self)
        {
            projects.append(
                Project(id: id, name: name, description: description, createdBy: createdBy, createdAt: createdAt))
        }
        return projects
    }
}
