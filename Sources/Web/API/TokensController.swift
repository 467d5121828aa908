import Foundation
import Hummingbird
import Storage

/// The engineer's API tokens of a project: create (secret shown once), list, revoke.
public struct TokensController: Sendable {
    let services: AppServices
    let access: ProjectAccess

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
    }

    struct TokenForm: Decodable {
        var name: String?
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/tokens") { _, context in
            let grant = try await access.authorize(.manageTokens, projectID: context.parameters.get("project"), context: context)
            return try await render(grant, context: context)
        }
        group.post("/projects/:project/tokens") { request, context in
            let grant = try await access.authorize(.manageTokens, projectID: context.parameters.get("project"), context: context)
            let form = try await URLEncodedFormDecoder().decode(TokenForm.self, from: request, context: context)
            do {
                let (token, secret) = try await services.tokens.createToken(
                    projectID: grant.project.id, userID: grant.user.id, name: form.name ?? "")
                return try await render(grant, context: context, extra: ["secret": secret, "secretName": token.name])
            } catch StorageError.invalidValue(let message) {
                return try await render(grant, context: context, extra: ["error": message], status: .badRequest)
            }
        }
        group.post("/projects/:project/tokens/:token/revoke") { _, context in
            let grant = try await access.authorize(.manageTokens, projectID: context.parameters.get("project"), context: context)
            guard let id = context.parameters.get("token").flatMap(APIToken.ID.init) else {
                throw HTTPError(.notFound, message: "No such token.")
            }
            try await services.tokens.revokeToken(id: id, projectID: grant.project.id, userID: grant.user.id)
            return Response.redirect(to: "/projects/\(grant.project.id)/tokens", type: .normal)
        }
    }

    func render(
        _ grant: ProjectAccess.Grant, context: AppRequestContext, extra: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tokens = try await services.tokens.listTokens(projectID: grant.project.id, userID: grant.user.id)
        var values = RunPageValues.project(grant)
        values["tokens"] = tokens.map { token -> [String: Any] in
            [
                "id": token.id.description, "name": token.name, "prefix": token.prefix,
                "createdAt": RunPageValues.date(token.createdAt),
                "lastUsedAt": token.lastUsedAt.map(RunPageValues.date) ?? "never",
                "revoked": token.revokedAt != nil, "revokedAt": token.revokedAt.map(RunPageValues.date) ?? "",
            ]
        }
        values["hasTokens"] = !tokens.isEmpty
        for (key, value) in extra { values[key] = value }
        return services.views.renderPage(
            "tokens/index", title: "API tokens · \(grant.project.name)", values: values, context: context, status: status)
    }
}
