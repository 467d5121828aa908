import Engine
import Foundation
import Logging
import PostgresNIO

/// Reads and writes `region_versions`: every save of an image's regions is a new, numbered version.
public struct RegionRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores `regions` (already validated by the caller against the image size) as the image's next version and
    /// returns it. The image row is locked for the transaction, so concurrent saves get consecutive numbers.
    /// `StorageError.notFound` for an unknown image.
    public func createRegionVersion(
        imageID: Image.ID, regions: RegionSet, summary: String, createdBy: User.ID?
    ) async throws -> RegionVersion {
        let json = JSONWriter.serialize(regions.toJSON())
        let summary = String(summary.trimmingCharacters(in: .whitespacesAndNewlines).prefix(1000))
        let id = RegionVersion.ID.generate()
        let logger = self.logger
        return try await DatabaseTransaction.run(client, actor: createdBy, logger: logger) { connection in
            let locked = try await connection.query(
                "SELECT id FROM images WHERE id = \(imageID) FOR UPDATE", logger: logger)
            guard try await locked.decode(Image.ID.self).first(where: { _ in true }) != nil else {
                throw StorageError.notFound("image \(imageID)")
            }
            let rows = try await connection.query(
                """
                WITH inserted AS (
                    INSERT INTO region_versions (id, image_id, version, regions, summary, created_by)
                    SELECT \(id), \(imageID), coalesce(max(version), 0) + 1, \(json)::jsonb, \(summary), \(createdBy)
                    FROM region_versions WHERE image_id = \(imageID)
                    RETURNING id, image_id, version, regions, summary, created_by, created_at
                )
                SELECT r.id, r.image_id, r.version, r.regions::text, r.summary, r.created_by, u.display_name,
                    r.created_at
                FROM inserted r LEFT JOIN users u ON u.id = r.created_by
                """, logger: logger)
            guard let version = try await Self.decodeVersions(rows).first else {
                throw StorageError.notFound("region version \(id) after insert")
            }
            return version
        }
    }

    /// The image's current (highest) version, or `nil` when no regions were saved yet.
    public func findCurrentRegionVersion(imageID: Image.ID) async throws -> RegionVersion? {
        let rows = try await client.query(
            """
            SELECT r.id, r.image_id, r.version, r.regions::text, r.summary, r.created_by, u.display_name, r.created_at
            FROM region_versions r LEFT JOIN users u ON u.id = r.created_by
            WHERE r.image_id = \(imageID) ORDER BY r.version DESC LIMIT 1
            """, logger: logger)
        return try await Self.decodeVersions(rows).first
    }

    /// One version of the image's regions, if it exists.
    public func findRegionVersion(imageID: Image.ID, version: Int) async throws -> RegionVersion? {
        let rows = try await client.query(
            """
            SELECT r.id, r.image_id, r.version, r.regions::text, r.summary, r.created_by, u.display_name, r.created_at
            FROM region_versions r LEFT JOIN users u ON u.id = r.created_by
            WHERE r.image_id = \(imageID) AND r.version = \(version)
            """, logger: logger)
        return try await Self.decodeVersions(rows).first
    }

    /// Every version of the image's regions, newest first.
    public func listRegionVersions(imageID: Image.ID) async throws -> [RegionVersion] {
        let rows = try await client.query(
            """
            SELECT r.id, r.image_id, r.version, r.regions::text, r.summary, r.created_by, u.display_name, r.created_at
            FROM region_versions r LEFT JOIN users u ON u.id = r.created_by
            WHERE r.image_id = \(imageID) ORDER BY r.version DESC
            """, logger: logger)
        return try await Self.decodeVersions(rows)
    }

    /// The current version of every image of the project that has regions (images without regions are absent).
    public func listCurrentRegionVersions(projectID: Project.ID) async throws -> [RegionVersion] {
        let rows = try await client.query(
            """
            SELECT DISTINCT ON (r.image_id) r.id, r.image_id, r.version, r.regions::text, r.summary, r.created_by,
                u.display_name, r.created_at
            FROM region_versions r JOIN images i ON i.id = r.image_id LEFT JOIN users u ON u.id = r.created_by
            WHERE i.project_id = \(projectID) ORDER BY r.image_id, r.version DESC
            """, logger: logger)
        return try await Self.decodeVersions(rows)
    }

    static func decodeVersions(_ rows: PostgresRowSequence) async throws -> [RegionVersion] {
        var versions: [RegionVersion] = []
        for try await (id, imageID, version, json, summary, by, name, at) in rows.decode(
            (RegionVersion.ID, Image.ID, Int32, String, String, User.ID?, String?, Date).self)
        {
            versions.append(
                RegionVersion(
                    id: id, imageID: imageID, version: Int(version), regionsJSON: json, summary: summary,
                    createdBy: by, createdByName: name, createdAt: at))
        }
        return versions
    }
}
