import NIOCore

/// Everything needed to store one decoded upload: metadata plus the original, display and thumbnail bytes.
public struct NewImage: Sendable {
    public var projectID: Project.ID
    public var fileName: String
    public var sha256: String
    public var format: String
    /// Display-orientation size of the original.
    public var width: Int
    public var height: Int
    /// The uploaded bytes, unchanged.
    public var original: ByteBuffer
    /// JPEG of the display copy (long side ≤ 2048).
    public var displayJPEG: ByteBuffer
    public var displayWidth: Int
    public var displayHeight: Int
    /// JPEG thumbnail (long side ≤ 256).
    public var thumbnailJPEG: ByteBuffer
    public var uploadedBy: User.ID?

    public init(
        projectID: Project.ID, fileName: String, sha256: String, format: String, width: Int, height: Int,
        original: ByteBuffer, displayJPEG: ByteBuffer, displayWidth: Int, displayHeight: Int,
        thumbnailJPEG: ByteBuffer, uploadedBy: User.ID?
    ) {
        self.projectID = projectID
        self.fileName = fileName
        self.sha256 = sha256
        self.format = format
        self.width = width
        self.height = height
        self.original = original
        self.displayJPEG = displayJPEG
        self.displayWidth = displayWidth
        self.displayHeight = displayHeight
        self.thumbnailJPEG = thumbnailJPEG
        self.uploadedBy = uploadedBy
    }
}
