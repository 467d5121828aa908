/// A built-in job leased to one worker (status `running`, `locked_by = workerID`).
public struct BuiltInJobClaim: Sendable, Equatable {
    public var job: BuiltInJob
    public var workerID: String

    public init(job: BuiltInJob, workerID: String) {
        self.job = job
        self.workerID = workerID
    }
}
