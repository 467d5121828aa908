import Foundation
import Hummingbird
import Storage

/// `GET /account` and `POST /account/password`: a user changes their own password (other sessions end).
public struct AccountController: Sendable {
    let services: AppServices

    public init(services: AppServices) {
        self.services = services
    }

    struct PasswordForm: Decodable {
        var current_password: String?
        var new_password: String?
        var confirm_password: String?
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/account") { request, context in
            let notice = request.uri.queryParameters.get("changed") != nil ? "Your password was changed." : nil
            return services.views.renderPage(
                "account/index", title: "Your account", values: notice.map { ["notice": $0] } ?? [:], context: context)
        }
        group.post("/account/password") { request, context in
            let user = try context.requireIdentity()
            let form = try await URLEncodedFormDecoder().decode(PasswordForm.self, from: request, context: context)
            func failure(_ message: String) -> Response {
                services.views.renderPage(
                    "account/index", title: "Your account", values: ["error": message], context: context,
                    status: .badRequest)
            }
            guard try await services.passwords.verifyPassword(form.current_password ?? "", hash: user.passwordHash)
            else { return failure("Your current password is not correct.") }
            let newPassword = form.new_password ?? ""
            if let problem = PasswordHasher.checkPasswordStrength(newPassword) { return failure(problem) }
            guard newPassword == form.confirm_password else { return failure("The new passwords differ.") }
            let hash = try await services.passwords.hashPassword(newPassword)
            try await services.users.updatePasswordHash(userID: user.id, passwordHash: hash)
            // Sign out every other browser of this user; keep this one.
            let currentKey = request.cookies["sightline_session"].map { String($0.value) }
            try await services.sessions.deleteSessions(userID: user.id, exceptKey: currentKey)
            return Response.redirect(to: "/account?changed=1", type: .normal)
        }
    }
}
