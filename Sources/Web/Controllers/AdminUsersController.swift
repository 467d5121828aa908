import Foundation
import Hummingbird
import Storage

/// `/admin/users`: administrators list users, create accounts, grant or revoke admin rights and reset
/// passwords (generated passwords are shown once).
public struct AdminUsersController: Sendable {
    let services: AppServices

    public init(services: AppServices) {
        self.services = services
    }

    struct CreateForm: Decodable {
        var email: String?
        var name: String?
        var role: String?
    }

    struct AdminForm: Decodable {
        var is_admin: String?
    }

    static func requireAdmin(_ context: AppRequestContext) throws -> User {
        let user = try context.requireIdentity()
        guard user.isAdmin else { throw HTTPError(.forbidden, message: "Only administrators manage users.") }
        return user
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/admin/users") { _, context in
            _ = try Self.requireAdmin(context)
            return try await renderList(context: context)
        }
        group.post("/admin/users") { request, context in
            _ = try Self.requireAdmin(context)
            let form = try await URLEncodedFormDecoder().decode(CreateForm.self, from: request, context: context)
            let password = PasswordHasher.generatePassword()
            let hash = try await services.passwords.hashPassword(password)
            do {
                let user = try await services.users.createUser(
                    email: form.email ?? "", displayName: form.name ?? "", passwordHash: hash,
                    isAdmin: form.role == "admin")
                return try await renderList(
                    context: context,
                    extra: ["created": ["email": user.email, "password": password] as [String: Any]])
            } catch let error as StorageError {
                let message: String
                switch error {
                case .duplicate: message = "An account with that e-mail address exists already."
                case .invalidValue(let text): message = text
                default: throw error
                }
                return try await renderList(context: context, extra: ["error": message], status: .badRequest)
            }
        }
        group.post("/admin/users/:user/admin") { request, context in
            let admin = try Self.requireAdmin(context)
            guard let id = context.parameters.get("user").flatMap(User.ID.init) else {
                throw HTTPError(.notFound, message: "No such user.")
            }
            let form = try await URLEncodedFormDecoder().decode(AdminForm.self, from: request, context: context)
            let makeAdmin = form.is_admin == "1"
            if id == admin.id && !makeAdmin {
                return try await renderList(
                    context: context, extra: ["error": "You cannot remove your own administrator rights."],
                    status: .badRequest)
            }
            try await services.users.updateAdminFlag(userID: id, isAdmin: makeAdmin)
            return Response.redirect(to: "/admin/users", type: .normal)
        }
        group.post("/admin/users/:user/password") { _, context in
            _ = try Self.requireAdmin(context)
            guard let id = context.parameters.get("user").flatMap(User.ID.init),
                let user = try await services.users.findUser(id: id)
            else { throw HTTPError(.notFound, message: "No such user.") }
            let password = PasswordHasher.generatePassword()
            try await services.users.updatePasswordHash(userID: id, passwordHash: try await services.passwords.hashPassword(password))
            try await services.sessions.deleteSessions(userID: id)
            return try await renderList(
                context: context, extra: ["reset": ["email": user.email, "password": password] as [String: Any]])
        }
    }

    func renderList(
        context: AppRequestContext, extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let me = try context.requireIdentity()
        let users = try await services.users.listUsers()
        let rows: [[String: Any]] = users.map {
            [
                "id": $0.id.description, "email": $0.email, "displayName": $0.displayName, "isAdmin": $0.isAdmin,
                "isSelf": $0.id == me.id,
            ]
        }
        var values = extra
        values["users"] = rows
        return services.views.renderPage("admin/users", title: "Users", values: values, context: context, status: status)
    }
}
