import Foundation
import Logging
import PostgresNIO

/// Reads the append-only `audit_log` (rows are written by database triggers on the workflow tables, so every
/// change is recorded whichever code made it) and writes explicit entries.
public struct AuditRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        id, project_id, actor_id, actor_name, kind, summary, subject_table, subject_id, details::text, created_at
        """

    /// Entries of a project matching `filter`, newest first.
    public func listEntries(projectID: Project.ID, filter: AuditFilter = AuditFilter()) async throws -> [AuditEntry] {
        let kind = filter.kind.flatMap { $0.isEmpty ? nil : $0 }
        let exactKind = kind.flatMap { $0.hasSuffix(".") ? nil : $0 }
        let kindPrefix = kind.flatMap { $0.hasSuffix(".") ? $0 : nil }
        let limit = Int32(max(1, min(filter.limit, 100_000)))
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM audit_log
            WHERE project_id = \(projectID)
              AND (\(filter.actorID)::uuid IS NULL OR actor_id = \(filter.actorID))
              AND (\(exactKind)::text IS NULL OR kind = \(exactKind))
              AND (\(kindPrefix)::text IS NULL OR starts_with(kind, \(kindPrefix)))
              AND (\(filter.from)::timestamptz IS NULL OR created_at >= \(filter.from))
              AND (\(filter.until)::timestamptz IS NULL OR created_at < \(filter.until))
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """, logger: logger)
        return try await Self.decodeEntries(rows)
    }

    /// The kinds present in a project's log, sorted.
    public func listKinds(projectID: Project.ID) async throws -> [String] {
        let rows = try await client.query(
            "SELECT DISTINCT kind FROM audit_log WHERE project_id = \(projectID) ORDER BY kind", logger: logger)
        var kinds: [String] = []
        for try await kind in rows.decode(String.self) { kinds.append(kind) }
        return kinds
    }

    /// The actors present in a project's log (id and latest name), by name.
    public func listActors(projectID: Project.ID) async throws -> [(id: User.ID, name: String)] {
        let rows = try await client.query(
            """
            SELECT DISTINCT ON (actor_id) actor_id, actor_name FROM audit_log
            WHERE project_id = \(projectID) AND actor_id IS NOT NULL ORDER BY actor_id, id DESC
            """, logger: logger)
        var actors: [(id: User.ID, name: String)] = []
        for try await (id, name) in rows.decode((User.ID, String).self) { actors.append((id, name)) }
        return actors.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    /// Appends an explicit entry (for events no table change expresses).
    public func recordEntry(
        projectID: Project.ID?, actorID: User.ID?, kind: String, summary: String, subjectTable: String = "",
        subjectID: String = "", detailsJSON: String = "{}"
    ) async throws {
        try await client.query(
            """
            INSERT INTO audit_log (project_id, actor_id, actor_name, kind, summary, subject_table, subject_id, details)
            VALUES (\(projectID), \(actorID), coalesce((SELECT display_name FROM users WHERE id = \(actorID)), ''),
                \(kind), \(summary), \(subjectTable), \(subjectID), \(detailsJSON)::jsonb)
            """, logger: logger)
    }

    static func decodeEntries(_ rows: PostgresRowSequence) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for try await (id, projectID, actorID, actorName, kind, summary, table, subject, details, at) in rows.decode(
            (Int64, Project.ID?, User.ID?, String, String, String, String, String, String, Date).self)
        {
            entries.append(
                AuditEntry(
                    id: id, projectID: projectID, actorID: actorID, actorName: actorName, kind: kind, summary: summary,
                    subjectTable: table, subjectID: subject, detailsJSON: details, createdAt: at))
        }
        return entries
    }
}
