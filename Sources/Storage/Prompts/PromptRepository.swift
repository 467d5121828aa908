import Foundation
import Logging
import PostgresNIO

/// Reads and writes `prompt_versions`.
public struct PromptRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let selectColumns = """
        SELECT p.id, p.project_id, p.prompt_id, p.version, p.name, p.text, p.created_by, u.display_name, p.created_at,
            (SELECT count(*) FROM runs r WHERE r.prompt_version_id = p.id)
        FROM prompt_versions p LEFT JOIN users u ON u.id = p.created_by
        """

    /// Checks a name and a text; returns them trimmed.
    static func validate(name: String, text: String) throws -> (String, String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw StorageError.invalidValue("a prompt name needs 1 to 200 characters")
        }
        guard !text.isEmpty, text.count <= 100_000 else {
            throw StorageError.invalidValue("a prompt text needs 1 to 100000 characters")
        }
        return (name, text)
    }

    /// Creates a new prompt (its version 1).
    public func createPrompt(projectID: Project.ID, name: String, text: String, createdBy: User.ID?) async throws
        -> PromptVersion
    {
        let (name, text) = try Self.validate(name: name, text: text)
        let id = PromptVersion.ID.generate()
        let promptID = PromptVersion.PromptID.generate()
        do {
            try await client.query(
                """
                INSERT INTO prompt_versions (id, project_id, prompt_id, version, name, text, created_by)
                VALUES (\(id), \(projectID), \(promptID), 1, \(name), \(text), \(createdBy))
                """, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            throw StorageError.notFound("project \(projectID)")
        }
        guard let version = try await findPromptVersion(id: id) else {
            throw StorageError.notFound("prompt version \(id) after insert")
        }
        return version
    }

    /// Edits a prompt starting from `versionID`. When no version of the prompt has runs yet and `versionID` is
    /// the latest, it is changed in place; otherwise the prompt gets a new version (old ones keep their runs).
    /// Returns the version that now holds the text. Unchanged name and text return the version as it is.
    public func editPrompt(versionID: PromptVersion.ID, name: String, text: String, editedBy: User.ID?) async throws
        -> PromptVersion
    {
        let (name, text) = try Self.validate(name: name, text: text)
        let logger = self.logger
        let resultID: PromptVersion.ID = try await DatabaseTransaction.run(
            client, actor: editedBy, logger: logger
        ) { connection in
            let rows = try await connection.query(
                """
                SELECT p.prompt_id, p.project_id, p.name, p.text,
                    (SELECT max(version) FROM prompt_versions q WHERE q.prompt_id = p.prompt_id) = p.version,
                    EXISTS (SELECT 1 FROM runs r WHERE r.prompt_version_id = p.id)
                FROM prompt_versions p WHERE p.id = \(versionID) FOR UPDATE
                """, logger: logger)
            var found: (PromptVersion.PromptID, Project.ID, String, String, Bool, Bool)?
            for try await row in rows.decode((PromptVersion.PromptID, Project.ID, String, String, Bool, Bool).self) {
                found = row
            }
            guard let (promptID, projectID, oldName, oldText, isLatest, hasRuns) = found else {
                throw StorageError.notFound("prompt version \(versionID)")
            }
            if oldName == name && oldText == text { return versionID }
            if isLatest && !hasRuns {
                try await connection.query(
                    "UPDATE prompt_versions SET name = \(name), text = \(text) WHERE id = \(versionID)", logger: logger)
                return versionID
            }
            // Serialise concurrent edits of one prompt on its first version's row.
            try await connection.query(
                "SELECT id FROM prompt_versions WHERE prompt_id = \(promptID) AND version = 1 FOR UPDATE",
                logger: logger)
            let id = PromptVersion.ID.generate()
            try await connection.query(
                """
                INSERT INTO prompt_versions (id, project_id, prompt_id, version, name, text, created_by)
                SELECT \(id), \(projectID), \(promptID), max(version) + 1, \(name), \(text), \(editedBy)
                FROM prompt_versions WHERE prompt_id = \(promptID)
                """, logger: logger)
            return id
        }
        guard let version = try await findPromptVersion(id: resultID) else {
            throw StorageError.notFound("prompt version \(resultID)")
        }
        return version
    }

    /// Creates the next version of `promptID` unconditionally (the API's "new version"), or a new prompt when
    /// `promptID` is `nil`.
    public func createPromptVersion(
        projectID: Project.ID, promptID: PromptVersion.PromptID?, name: String, text: String, createdBy: User.ID?
    ) async throws -> PromptVersion {
        guard let promptID else {
            return try await createPrompt(projectID: projectID, name: name, text: text, createdBy: createdBy)
        }
        let (name, text) = try Self.validate(name: name, text: text)
        let id = PromptVersion.ID.generate()
        let logger = self.logger
        try await DatabaseTransaction.run(client, logger: logger) { connection in
            let locked = try await connection.query(
                """
                SELECT id FROM prompt_versions
                WHERE prompt_id = \(promptID) AND project_id = \(projectID) AND version = 1 FOR UPDATE
                """, logger: logger)
            guard try await locked.decode(PromptVersion.ID.self).first(where: { _ in true }) != nil else {
                throw StorageError.notFound("prompt \(promptID)")
            }
            try await connection.query(
                """
                INSERT INTO prompt_versions (id, project_id, prompt_id, version, name, text, created_by)
                SELECT \(id), \(projectID), \(promptID), max(version) + 1, \(name), \(text), \(createdBy)
                FROM prompt_versions WHERE prompt_id = \(promptID)
                """, logger: logger)
        }
        guard let version = try await findPromptVersion(id: id) else {
            throw StorageError.notFound("prompt version \(id) after insert")
        }
        return version
    }

    /// The version with this id, if any.
    public func findPromptVersion(id: PromptVersion.ID) async throws -> PromptVersion? {
        let rows = try await client.query(
            "\(unescaped: Self.selectColumns) WHERE p.id = \(id)", logger: logger)
        return try await Self.decodeVersions(rows).first
    }

    /// Every version of every prompt of a project: prompts by name, versions newest first.
    public func listPromptVersions(projectID: Project.ID) async throws -> [PromptVersion] {
        let rows = try await client.query(
            "\(unescaped: Self.selectColumns) WHERE p.project_id = \(projectID) ORDER BY lower(p.name), p.prompt_id, p.version DESC",
            logger: logger)
        return try await Self.decodeVersions(rows)
    }

    /// Every version of one prompt, newest first.
    public func listPromptVersions(promptID: PromptVersion.PromptID) async throws -> [PromptVersion] {
        let rows = try await client.query(
            "\(unescaped: Self.selectColumns) WHERE p.prompt_id = \(promptID) ORDER BY p.version DESC", logger: logger)
        return try await Self.decodeVersions(rows)
    }

    /// The latest version of each prompt of a project, by name.
    public func listLatestPromptVersions(projectID: Project.ID) async throws -> [PromptVersion] {
        let all = try await listPromptVersions(projectID: projectID)
        var seen = Set<PromptVersion.PromptID>()
        return all.filter { seen.insert($0.promptID).inserted }
    }

    static func decodeVersions(_ rows: PostgresRowSequence) async throws -> [PromptVersion] {
        var versions: [PromptVersion] = []
        for try await (id, projectID, promptID, version, name, text, by, byName, at, runs) in rows.decode(
            (PromptVersion.ID, Project.ID, PromptVersion.PromptID, Int32, String, String, User.ID?, String?, Date,
             Int64).self)
        {
            versions.append(
                PromptVersion(
                    id: id, projectID: projectID, promptID: promptID, version: Int(version), name: name, text: text,
                    createdBy: by, createdByName: byName, createdAt: at, runCount: Int(runs)))
        }
        return versions
    }
}
