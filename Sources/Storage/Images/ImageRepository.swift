import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Reads and writes `images`.
public struct ImageRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores a decoded upload; `StorageError.duplicate` when the project already holds the same bytes
    /// (same SHA-256), `StorageError.notFound` when the project does not exist.
    public func createImage(_ new: NewImage) async throws -> Image {
        let id = Image.ID.generate()
        let fileName = String(new.fileName.prefix(500))
        do {
            let rows = try await client.query(
                """
                INSERT INTO images (id, project_id, file_name, sha256, format, width, height, original, display_jpeg,
                    display_width, display_height, thumbnail_jpeg, uploaded_by)
                VALUES (\(id), \(new.projectID), \(fileName), \(new.sha256), \(new.format), \(new.width),
                    \(new.height), \(new.original), \(new.displayJPEG), \(new.displayWidth), \(new.displayHeight),
                    \(new.thumbnailJPEG), \(new.uploadedBy))
                RETURNING id, project_id, file_name, sha256, format, width, height, display_width, display_height,
                    uploaded_by, created_at
                """, logger: logger)
            guard let image = try await Self.decodeImages(rows).first else {
                throw StorageError.notFound("image \(id) after insert")
            }
            return image
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StorageError.duplicate("an image with SHA-256 \(new.sha256) in this project")
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            throw StorageError.notFound("project \(new.projectID)")
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23514" {
            throw StorageError.invalidValue("image values outside what the schema accepts")
        }
    }

    /// The image with this id, if any.
    public func findImage(id: Image.ID) async throws -> Image? {
        let rows = try await client.query(
            """
            SELECT id, project_id, file_name, sha256, format, width, height, display_width, display_height,
                uploaded_by, created_at
            FROM images WHERE id = \(id)
            """, logger: logger)
        return try await Self.decodeImages(rows).first
    }

    /// The image of `projectID` with these bytes (by SHA-256), if any.
    public func findImage(projectID: Project.ID, sha256: String) async throws -> Image? {
        let rows = try await client.query(
            """
            SELECT id, project_id, file_name, sha256, format, width, height, display_width, display_height,
                uploaded_by, created_at
            FROM images WHERE project_id = \(projectID) AND sha256 = \(sha256)
            """, logger: logger)
        return try await Self.decodeImages(rows).first
    }

    /// The images of a project, oldest first (upload order).
    public func listImages(projectID: Project.ID) async throws -> [Image] {
        let rows = try await client.query(
            """
            SELECT id, project_id, file_name, sha256, format, width, height, display_width, display_height,
                uploaded_by, created_at
            FROM images WHERE project_id = \(projectID) ORDER BY created_at, file_name, id
            """, logger: logger)
        return try await Self.decodeImages(rows)
    }

    /// Number of images in a project.
    public func countImages(projectID: Project.ID) async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*) FROM images WHERE project_id = \(projectID)", logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// The uploaded bytes, or `nil` for an unknown image.
    public func fetchOriginal(imageID: Image.ID) async throws -> ByteBuffer? {
        try await fetchBytes(imageID: imageID, variant: .original)
    }

    /// The JPEG display copy, or `nil` for an unknown image.
    public func fetchDisplay(imageID: Image.ID) async throws -> ByteBuffer? {
        try await fetchBytes(imageID: imageID, variant: .display)
    }

    /// The JPEG thumbnail, or `nil` for an unknown image.
    public func fetchThumbnail(imageID: Image.ID) async throws -> ByteBuffer? {
        try await fetchBytes(imageID: imageID, variant: .thumbnail)
    }

    /// The bytes of one variant, or `nil` for an unknown image.
    public func fetchBytes(imageID: Image.ID, variant: ImageVariant) async throws -> ByteBuffer? {
        let rows: PostgresRowSequence
        switch variant {
        case .original:
            rows = try await client.query("SELECT original FROM images WHERE id = \(imageID)", logger: logger)
        case .display:
            rows = try await client.query("SELECT display_jpeg FROM images WHERE id = \(imageID)", logger: logger)
        case .thumbnail:
            rows = try await client.query("SELECT thumbnail_jpeg FROM images WHERE id = \(imageID)", logger: logger)
        }
        for try await bytes in rows.decode(ByteBuffer.self) { return bytes }
        return nil
    }

    /// Deletes an image (and, by cascade, its region versions); no-op for an unknown image. `actor` is recorded in
    /// the audit log.
    public func deleteImage(id: Image.ID, actor: User.ID? = nil) async throws {
        let logger = self.logger
        try await DatabaseTransaction.run(client, actor: actor, logger: logger) { connection in
            try await connection.query("DELETE FROM images WHERE id = \(id)", logger: logger)
        }
    }

    static func decodeImages(_ rows: PostgresRowSequence) async throws -> [Image] {
        var images: [Image] = []
        for try await (id, projectID, fileName, sha, format, width, height, displayWidth, displayHeight, by, at)
            in rows.decode(
                (Image.ID, Project.ID, String, String, String, Int32, Int32, Int32, Int32, User.ID?, Date).self)
        {
            images.append(
                Image(
                    id: id, projectID: projectID, fileName: fileName, sha256: sha, format: format, width: Int(width),
                    height: Int(height), displayWidth: Int(displayWidth), displayHeight: Int(displayHeight),
                    uploadedBy: by, createdAt: at))
        }
        return images
    }
}
