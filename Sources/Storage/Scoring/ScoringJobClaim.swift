/// A `scoring_jobs` row claimed by one worker (status `running`, leased to `workerID`).
public struct ScoringJobClaim: Sendable, Equatable {
    public var jobID: Int64
    public var runID: Run.ID
    /// Why it was enqueued: `created`, `revision`, `regions`, `thresholds`, `manual`.
    public var reason: String
    /// How many times it was claimed, this claim included (> 1 after a worker died mid-job).
    public var attempts: Int
    public var workerID: String

    public init(jobID: Int64, runID: Run.ID, reason: String, attempts: Int, workerID: String) {
        self.jobID = jobID
        self.runID = runID
        self.reason = reason
        self.attempts = attempts
        self.workerID = workerID
    }
}
