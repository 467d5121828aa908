import Foundation

/// An uploaded image of a project (metadata only; the bytes are fetched separately by `ImageRepository`).
///
/// `width × height` is the size in display orientation (EXIF orientation applied): the pixel space of every
/// region of the image (scoring.md §1). The display copy (`displayWidth × displayHeight`, long side ≤ 2048) is
/// the same picture scaled down.
public struct Image: Sendable, Equatable, Codable {
    /// Typed identifier of an image.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var projectID: Project.ID
    /// The file name the uploader's browser sent (display and COCO matching only; may be empty).
    public var fileName: String
    /// Lower-case hex SHA-256 of the original bytes (unique within a project).
    public var sha256: String
    /// `jpeg` or `png`, decided from the content.
    public var format: String
    public var width: Int
    public var height: Int
    public var displayWidth: Int
    public var displayHeight: Int
    public var uploadedBy: User.ID?
    public var createdAt: Date

    public init(
        id: ID, projectID: Project.ID, fileName: String, sha256: String, format: String, width: Int, height: Int,
        displayWidth: Int, displayHeight: Int, uploadedBy: User.ID?, createdAt: Date
    ) {
        self.id = id
        self.projectID = projectID
        self.fileName = fileName
        self.sha256 = sha256
        self.format = format
        self.width = width
        self.height = height
        self.displayWidth = displayWidth
        self.displayHeight = displayHeight
        self.uploadedBy = uploadedBy
        self.createdAt = createdAt
    }
}
