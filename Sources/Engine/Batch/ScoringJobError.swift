/// A scoring job that failed on bad input: the engine error, and the file it came from (when one did).
public struct ScoringJobError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file that holds the problem, if the problem is in a file.
    public var path: String?
    public var error: EngineError

    public init(path: String?, error: EngineError) {
        self.path = path
        self.error = error
    }

    /// The message with the file name in front (unless the engine already named it).
    public var message: String {
        guard let path, !error.message.hasPrefix(path) else { return error.message }
        return "\(path): \(error.message)"
    }

    public var description: String { "\(error.code.rawValue): \(message)" }
}
