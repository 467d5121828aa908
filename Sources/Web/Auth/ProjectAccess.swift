import Hummingbird
import Storage

/// The server-side role check every project page and form handler goes through.
public struct ProjectAccess: Sendable {
    /// A project the current user may act on, with the user's role in it (`nil` for an administrator who is not
    /// a member).
    public struct Grant: Sendable {
        public let project: Project
        public let role: ProjectRole?
        public let user: User

        /// Whether the same user may also perform `action` (for showing or hiding controls).
        public func allows(_ action: ProjectAction) -> Bool {
            user.isAdmin || role.map { action.allowedRoles.contains($0) } == true
        }
    }

    let projects: ProjectRepository

    public init(projects: ProjectRepository) {
        self.projects = projects
    }

    /// Resolves `rawID` for `action`: 404 when the project does not exist or the user is neither a member nor an
    /// administrator; 403 when a member's role does not allow the action; 401 when not signed in.
    public func authorize(_ action: ProjectAction, projectID rawID: String?, context: AppRequestContext) async throws
        -> Grant
    {
        let user = try context.requireIdentity()
        guard let rawID, let id = Project.ID(rawID), let project = try await projects.findProject(id: id) else {
            throw HTTPError(.notFound, message: "No such project.")
        }
        let role = try await projects.findRole(projectID: id, userID: user.id)
        if user.isAdmin { return Grant(project: project, role: role, user: user) }
        guard let role else { throw HTTPError(.notFound, message: "No such project.") }
        guard action.allowedRoles.contains(role) else {
            throw HTTPError(.forbidden, message: "Your role in this project (\(role.rawValue)) does not allow this.")
        }
        return Grant(project: project, role: role, user: user)
    }
}
