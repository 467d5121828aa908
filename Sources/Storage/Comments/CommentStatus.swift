/// Whether a review comment still needs attention.
public enum CommentStatus: String, Sendable, Codable, CaseIterable {
    case open
    case resolved
}
