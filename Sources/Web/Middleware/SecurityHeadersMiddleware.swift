import HTTPTypes
import Hummingbird

/// Adds the security headers to every response: a strict Content-Security-Policy (no inline script or style),
/// `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` and frame denial.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The policy sent in `Content-Security-Policy`.
    public static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    }

    static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }
    static var xFrameOptions: HTTPField.Name { HTTPField.Name("X-Frame-Options")! }
    static var crossOriginOpenerPolicy: HTTPField.Name { HTTPField.Name("Cross-Origin-Opener-Policy")! }

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        Self.applyHeaders(to: &response.headers)
        return response
    }

    /// Sets the headers on `headers` (also used for error responses built outside the router).
    public static func applyHeaders(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[Self.referrerPolicy] = "same-origin"
        headers[Self.xFrameOptions] = "DENY"
        headers[Self.crossOriginOpenerPolicy] = "same-origin"
    }
}
