/// What a reviewer decided about a prompt version.
public enum SignOffDecision: String, Sendable, Codable, CaseIterable {
    /// The prompt version is accepted for the project's image set.
    case approve
    /// The prompt version is refused.
    case reject
}
