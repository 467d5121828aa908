/// A prompt version's sign-off status right now: the latest sign-off compared with the current digest.
public struct SignOffState: Sendable {
    public var status: SignOffStatus
    /// The latest sign-off, if any (its decision is shown as stale when `status == .stale`).
    public var latest: SignOff?
    /// The digest of the data now.
    public var currentDigest: String
    public var currentInput: ReviewDigestInput
    /// What changed since the latest sign-off (empty unless stale).
    public var changes: [DigestChange]
    /// Pending or running scoring jobs of the prompt version's runs.
    public var openScoringJobs: Int

    public init(
        status: SignOffStatus, latest: SignOff?, currentDigest: String, currentInput: ReviewDigestInput,
        changes: [DigestChange], openScoringJobs: Int
    ) {
        self.status = status
        self.latest = latest
        self.currentDigest = currentDigest
        self.currentInput = currentInput
        self.changes = changes
        self.openScoringJobs = openScoringJobs
    }
}
