/// Which stored bytes of an image to fetch.
public enum ImageVariant: String, Sendable, CaseIterable {
    /// The uploaded file, unchanged.
    case original
    /// The JPEG display copy (long side ≤ 2048).
    case display
    /// The JPEG thumbnail (long side ≤ 256).
    case thumbnail
}
