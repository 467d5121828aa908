import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import Storage

/// Sign-in and sign-out: `GET /login`, `POST /login`, `POST /logout`.
public struct AuthController: Sendable {
    let services: AppServices
    let throttle: LoginThrottle
    /// A real bcrypt hash of the same cost, checked when the e-mail address is unknown so that the answer
    /// takes as long as for a known address.
    let dummyHash: String

    public init(services: AppServices, throttle: LoginThrottle = LoginThrottle()) {
        self.services = services
        self.throttle = throttle
        self.dummyHash = Bcrypt.hash(CSRFMiddleware.generateToken(), cost: services.passwords.cost)
    }

    struct LoginForm: Decodable {
        var email: String?
        var password: String?
        var next: String?
    }

    public func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("/login") { request, context in
            if context.identity != nil {
                return Response.redirect(to: Self.safeNextPath(request.uri.queryParameters.get("next")), type: .found)
            }
            return services.views.renderPage(
                "auth/login", title: "Sign in",
                values: ["next": Self.safeNextPath(request.uri.queryParameters.get("next")), "email": ""],
                context: context)
        }
        router.post("/login") { request, context in
            try await login(request: request, context: context)
        }
        router.post("/logout") { _, context in
            context.sessions.clearSession()
            return Response.redirect(to: "/login", type: .normal)
        }
    }

    func login(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await URLEncodedFormDecoder().decode(LoginForm.self, from: request, context: context)
        let email = User.normalizeEmail(form.email ?? "")
        let next = Self.safeNextPath(form.next)
        func failure(_ message: String, status: HTTPResponse.Status) -> Response {
            services.views.renderPage(
                "auth/login", title: "Sign in", values: ["next": next, "email": email, "error": message],
                context: context, status: status)
        }
        guard !email.isEmpty, let password = form.password, !password.isEmpty else {
            return failure("Enter your e-mail address and password.", status: .badRequest)
        }
        let failures = try await services.loginAttempts.countRecentFailures(email: email, window: throttle.window)
        if failures >= throttle.maximumFailures {
            let minutes = Int(throttle.window.components.seconds / 60)
            var response = failure(
                "Too many failed sign-in attempts for this address. Try again in \(minutes) minutes.",
                status: .tooManyRequests)
            response.headers[.retryAfter] = "\(throttle.window.components.seconds)"
            return response
        }
        let user = try await services.users.findUser(email: email)
        // Verify against a dummy hash when the user is unknown, so timing does not reveal which addresses exist.
        let hash = user?.passwordHash ?? dummyHash
        let matches = try await services.passwords.verifyPassword(password, hash: hash)
        guard let user, matches else {
            try await services.loginAttempts.recordLoginAttempt(
                email: email, remoteAddress: context.remoteAddress, succeeded: false)
            return failure("Wrong e-mail address or password.", status: .unauthorized)
        }
        try await services.loginAttempts.recordLoginAttempt(
            email: email, remoteAddress: context.remoteAddress, succeeded: true)
        context.sessions.createSession(UserSession(userID: user.id))
        return Response.redirect(to: next, type: .normal)
    }

    /// Only same-site absolute paths are followed after sign-in (no `//host` or scheme).
    static func safeNextPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.contains("\r"), !next.contains("\n")
        else { return "/" }
        return next
    }
}
