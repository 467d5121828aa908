import Engine
import Hummingbird

/// Turns every error under `/api/v1` into `{"error": {"code", "message"}}` JSON (never an HTML page).
public struct APIErrorMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.describe(error)
            if apiError.status == .internalServerError {
                context.logger.error("API request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            var response = APIResponse.json(apiError.jsonValue, status: apiError.status)
            if apiError.status == .unauthorized {
                response.headers[.wwwAuthenticate] = #"Bearer realm="sightline""#
            }
            return response
        }
    }
}
