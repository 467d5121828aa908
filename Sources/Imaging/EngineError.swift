/// A bad-input error raised by the engine: a scoring.md §7 code plus a human-readable message.
///
/// Every corrupt or unsupported input becomes one of these; the engine never crashes on bad bytes.
/// The web layer maps it to an HTTP 4xx response, the CLI to exit status 2.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The machine-readable code.
    public var code: EngineErrorCode
    /// What went wrong, for a person (names the file or field where known).
    public var message: String

    public init(_ code: EngineErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
