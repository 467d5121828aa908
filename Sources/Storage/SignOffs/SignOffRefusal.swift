/// Why a sign-off was not recorded (the web layer maps these to 409/400 with the message).
public enum SignOffRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// Runs of the prompt version are still being scored (pending or running jobs).
    case scoringInProgress(jobs: Int)
    /// What the reviewer saw (digest on the page) differs from the data now.
    case reviewChanged(expected: String, current: String)
    /// Another sign-off was recorded after the page was rendered.
    case signOffChanged(expected: Int, current: Int)
    /// A rejection, or an approval despite failing verdicts, needs a comment.
    case commentRequired(String)

    public var description: String {
        switch self {
        case .scoringInProgress(let jobs):
            "\(jobs) run(s) of this prompt version are still being scored; sign off when scoring has finished."
        case .reviewChanged:
            "What you reviewed has changed since the page was loaded (regions, runs, heatmaps, thresholds or the prompt); reload and review again."
        case .signOffChanged:
            "Someone else signed off this prompt version after the page was loaded; reload to see their decision."
        case .commentRequired(let why):
            why
        }
    }
}
