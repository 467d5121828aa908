/// Whether the built-in Grad-CAM can run in this process.
public enum BuiltInAvailability: Sendable, Equatable {
    /// The weights file is there (it is loaded on first use).
    case available
    /// The feature is off; the reason is shown next to the disabled choice.
    case unavailable(reason: String)

    /// `true` for `.available`.
    public var isAvailable: Bool {
        if case .available = self { return true }
        return false
    }

    /// The explanation of `.unavailable`, else `nil`.
    public var reason: String? {
        if case .unavailable(let reason) = self { return reason }
        return nil
    }
}
