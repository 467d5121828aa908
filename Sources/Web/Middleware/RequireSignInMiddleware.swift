import Foundation
import Hummingbird

/// Lets signed-in users through; sends browsers (GET) to `/login?next=…` and answers everything else 401.
public struct RequireSignInMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard context.identity != nil else {
            if request.method == .get || request.method == .head {
                let path = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
                let encoded = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_.~"))) ?? "/"
                return Response.redirect(to: "/login?next=\(encoded)", type: .found)
            }
            throw HTTPError(.unauthorized, message: "Sign in first.")
        }
        return try await next(request, context)
    }
}
