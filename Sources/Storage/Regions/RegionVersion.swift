import Foundation

/// One saved state of an image's regions. Versions count up from 1 per image; the highest is current, older
/// ones stay readable.
public struct RegionVersion: Sendable, Equatable, Codable {
    /// Typed identifier of a region version.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var imageID: Image.ID
    /// 1, 2, 3, … per image.
    public var version: Int
    /// The region set as `REGIONS.json` text (`{"regions": [...]}`, cli.md), coordinates in the original
    /// image's display-orientation pixels. Parse it with `RegionSet.parse`.
    public var regionsJSON: String
    /// What changed (typed by the editor or written by an import).
    public var summary: String
    public var createdBy: User.ID?
    /// The author's display name (joined from `users`; `nil` when the account is gone).
    public var createdByName: String?
    public var createdAt: Date

    public init(
        id: ID, imageID: Image.ID, version: Int, regionsJSON: String, summary: String, createdBy: User.ID?,
        createdByName: String?, createdAt: Date
    ) {
        self.id = id
        self.imageID = imageID
        self.version = version
        self.regionsJSON = regionsJSON
        self.summary = summary
        self.createdBy = createdBy
        self.createdByName = createdByName
        self.createdAt = createdAt
    }
}
