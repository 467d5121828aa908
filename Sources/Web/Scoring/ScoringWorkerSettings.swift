import Foundation

/// How the scoring worker of one `sightline serve` process behaves (environment variables in parentheses).
public struct ScoringWorkerSettings: Sendable {
    /// Jobs scored at the same time by this process (`SIGHTLINE_SCORING_CONCURRENCY`, default 2).
    public var concurrency: Int
    /// Pause between polls of an empty queue (`SIGHTLINE_SCORING_POLL_MS`, default 500).
    public var pollInterval: Duration
    /// A claimed job whose worker stays silent this long is claimed again (`SIGHTLINE_SCORING_LEASE_S`, default 60).
    public var lease: Duration
    /// Whether the worker runs at all (`SIGHTLINE_SCORING_WORKER=0` turns it off, e.g. for a web-only process).
    public var isEnabled: Bool

    public init(concurrency: Int = 2, pollInterval: Duration = .milliseconds(500), lease: Duration = .seconds(60),
                isEnabled: Bool = true) {
        self.concurrency = max(1, concurrency)
        self.pollInterval = pollInterval
        self.lease = lease
        self.isEnabled = isEnabled
    }

    /// Reads the settings from the environment (bad values fall back to the defaults).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ScoringWorkerSettings
    {
        var settings = ScoringWorkerSettings()
        if let value = environment["SIGHTLINE_SCORING_CONCURRENCY"].flatMap(Int.init), (1...64).contains(value) {
            settings.concurrency = value
        }
        if let value = environment["SIGHTLINE_SCORING_POLL_MS"].flatMap(Int.init), (10...60_000).contains(value) {
            settings.pollInterval = .milliseconds(value)
        }
        if let value = environment["SIGHTLINE_SCORING_LEASE_S"].flatMap(Int.init), (1...86_400).contains(value) {
            settings.lease = .seconds(value)
        }
        if let value = environment["SIGHTLINE_SCORING_WORKER"] {
            settings.isEnabled = !["0", "false", "no", "off"].contains(value.lowercased())
        }
        return settings
    }
}
