import Hummingbird
import Storage

/// Authenticates `Authorization: Bearer <token>` and checks the token's project and its owner's current role.
public struct APIAccess: Sendable {
    /// The caller: the token, its owner and the owner's role in the token's project (`nil` for an admin).
    public struct Caller: Sendable {
        public let token: APIToken
        public let user: User
        public let role: ProjectRole?
        public let project: Project
    }

    let tokens: TokenRepository
    let users: UserRepository
    let projects: ProjectRepository

    public init(tokens: TokenRepository, users: UserRepository, projects: ProjectRepository) {
        self.tokens = tokens
        self.users = users
        self.projects = projects
    }

    /// The caller of `request`, allowed to perform `action` in the token's project. 401 for a missing, unknown or
    /// revoked token; 403 when the owner's role (now) does not allow the action; 404 when the owner left the project.
    public func authenticate(_ request: Request, for action: ProjectAction) async throws -> Caller {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("Send an API token: Authorization: Bearer <token>.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("The Authorization header must be 'Bearer <token>'.")
        }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        guard !secret.isEmpty, secret.count <= 200, let token = try await tokens.findActiveToken(secret: secret),
            let user = try await users.findUser(id: token.userID),
            let project = try await projects.findProject(id: token.projectID)
        else {
            throw APIError.unauthorized("The API token is unknown or revoked.")
        }
        let role = try await projects.findRole(projectID: project.id, userID: user.id)
        if !user.isAdmin {
            guard let role else { throw APIError.notFound("No such project.") }
            guard action.allowedRoles.contains(role) else {
                throw APIError.forbidden("Your role in this project (\(role.rawValue)) does not allow this.")
            }
        }
        return Caller(token: token, user: user, role: role, project: project)
    }

    /// As `authenticate`, and the project in the path must be the token's project (403 otherwise).
    public func authenticate(_ request: Request, for action: ProjectAction, projectID rawID: String?) async throws
        -> Caller
    {
        let caller = try await authenticate(request, for: action)
        guard let rawID, let id = Project.ID(rawID) else { throw APIError.notFound("No such project.") }
        guard id == caller.project.id else {
            throw APIError.forbidden("This API token is scoped to another project.")
        }
        return caller
    }
}
