/// The version string stored with every score (part of what a sign-off digest covers). Bump it whenever the
/// engine's numbers can change for the same inputs.
public enum EngineVersion {
    /// `sightline-engine/<scoring.md revision>.<implementation revision>`.
    public static let current = "sightline-engine/1.0"
}
