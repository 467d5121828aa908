/// The sign-off state of a prompt version as shown everywhere (project page, prompt page, review page, API, gate).
/// A stale sign-off is never shown as approved.
public enum SignOffStatus: String, Sendable, Codable, CaseIterable {
    /// The latest sign-off approves and what it reviewed is unchanged.
    case approved
    /// The latest sign-off rejects and what it reviewed is unchanged.
    case rejected
    /// The latest sign-off (either decision) reviewed something that has changed since.
    case stale
    /// Nobody signed off yet.
    case pending
}
