import Foundation

/// Which audit entries of a project to list. Every field is optional; `nil` matches everything.
public struct AuditFilter: Sendable, Equatable {
    public var actorID: User.ID?
    /// Exact kind (`regions.saved`) or a prefix ending in `.` (`run.`).
    public var kind: String?
    /// Inclusive lower bound.
    public var from: Date?
    /// Exclusive upper bound.
    public var until: Date?
    /// At most this many, newest first.
    public var limit: Int

    public init(actorID: User.ID? = nil, kind: String? = nil, from: Date? = nil, until: Date? = nil, limit: Int = 500) {
        self.actorID = actorID
        self.kind = kind
        self.from = from
        self.until = until
        self.limit = limit
    }
}
