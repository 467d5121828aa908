import NIOCore
import PostgresNIO

/// A member's role inside one project. Administrators (`User.isAdmin`) act with every role without membership.
public enum ProjectRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Images, regions, thresholds, members.
    case manager
    /// Prompts, runs, heatmaps, API tokens.
    case engineer
    /// Sign-off.
    case reviewer

    public static func < (lhs: ProjectRole, rhs: ProjectRole) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}
