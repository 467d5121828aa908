/// Where a run came from.
public enum RunSource: String, Sendable, Codable, CaseIterable {
    /// The browser form.
    case browser
    /// The token API (e.g. the Python client).
    case api
    /// The demo project's synthetic data.
    case demo
    /// The server's built-in model.
    case builtin
}
