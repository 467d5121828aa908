/// Where a review comment is pinned on an image: a point, or a box (`x`, `y` top-left, `width`, `height`), in the
/// original image's display-orientation pixels (scoring.md §1).
public enum CommentShape: String, Sendable, Codable, CaseIterable {
    case point
    case box
}
