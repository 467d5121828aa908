/// Login throttling policy: after `maximumFailures` failed sign-ins for one e-mail address within `window`
/// (counted since its last success), further attempts are refused until the window has passed.
public struct LoginThrottle: Sendable {
    public var maximumFailures: Int
    public var window: Duration

    public init(maximumFailures: Int = 5, window: Duration = .seconds(15 * 60)) {
        self.maximumFailures = maximumFailures
        self.window = window
    }
}
