import Engine
import Storage

/// What happened to one uploaded file.
public enum UploadOutcome: Sendable {
    /// Decoded and stored.
    case uploaded(Image)
    /// The project already holds the same bytes (same SHA-256); nothing stored.
    case duplicate(Image)
    /// Refused (the engine's error, or a size limit); nothing stored.
    case rejected(fileName: String, error: EngineError)

    /// The file name as sent by the browser.
    public var fileName: String {
        switch self {
        case .uploaded(let image), .duplicate(let image): image.fileName
        case .rejected(let fileName, _): fileName
        }
    }

    /// One sentence for the page.
    public var message: String {
        switch self {
        case .uploaded(let image): "Uploaded (\(image.width) × \(image.height), \(image.format.uppercased()))."
        case .duplicate(let image):
            "Already uploaded" + (image.fileName.isEmpty ? "." : " as \(image.fileName).")
        case .rejected(_, let error): error.message
        }
    }
}
