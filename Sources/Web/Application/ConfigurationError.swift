/// A configuration variable has a value the server cannot use.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var variable: String
    public var message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(variable): \(message)" }
}
