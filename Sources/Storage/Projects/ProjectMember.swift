import Foundation

/// One user's membership of one project, with the user's name for display.
public struct ProjectMember: Sendable, Equatable, Codable {
    public var projectID: Project.ID
    public var userID: User.ID
    public var role: ProjectRole
    public var email: String
    public var displayName: String
    public var addedAt: Date

    public init(
        projectID: Project.ID, userID: User.ID, role: ProjectRole, email: String, displayName: String, addedAt: Date
    ) {
        self.projectID = projectID
        self.userID = userID
        self.role = role
        self.email = email
        self.displayName = displayName
        self.addedAt = addedAt
    }
}
