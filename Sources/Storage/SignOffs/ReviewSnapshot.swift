/// The digest input of a prompt version read in one statement, its digest, and how many of its runs are still
/// being scored.
public struct ReviewSnapshot: Sendable {
    public var projectID: Project.ID
    public var input: ReviewDigestInput
    public var digest: String
    public var openScoringJobs: Int

    public init(projectID: Project.ID, input: ReviewDigestInput, digest: String, openScoringJobs: Int) {
        self.projectID = projectID
        self.input = input
        self.digest = digest
        self.openScoringJobs = openScoringJobs
    }
}
