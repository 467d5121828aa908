/// Errors raised by the storage layer; the web layer maps them to HTTP responses once.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `DATABASE_URL` is missing or malformed.
    case invalidDatabaseURL(String)
    /// A resource folder (migrations, templates, static) could not be found.
    case resourceDirectoryNotFound(String)
    /// A unique value (an e-mail address, a membership) already exists.
    case duplicate(String)
    /// The record does not exist.
    case notFound(String)
    /// A value is outside what the schema accepts.
    case invalidValue(String)

    public var description: String {
        switch self {
        case .invalidDatabaseURL(let message): "invalid DATABASE_URL: \(message)"
        case .resourceDirectoryNotFound(let message): "resource folder not found: \(message)"
        case .duplicate(let message): "already exists: \(message)"
        case .notFound(let message): "not found: \(message)"
        case .invalidValue(let message): "invalid value: \(message)"
        }
    }
}
