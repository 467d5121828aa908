import Foundation
import HTTPTypes
import Hummingbird

/// CSRF protection by double-submit token: every response carries a random `sightline_csrf` cookie
/// (HttpOnly, SameSite=Lax) whose value forms echo in a hidden `_csrf` field (or scripts in an `X-CSRF-Token`
/// header). A POST/PUT/PATCH/DELETE whose token is missing or differs gets 403 before any handler runs.
public struct CSRFMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    /// Cookie holding the token.
    public static let cookieName = "sightline_csrf"
    /// Form field holding the token.
    public static let fieldName = "_csrf"
    /// Header holding the token (scripts).
    public static let headerName = HTTPField.Name("X-CSRF-Token")!

    let secureCookies: Bool

    public init(secureCookies: Bool) {
        self.secureCookies = secureCookies
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var request = request
        var context = context
        let cookieValue = request.cookies[Self.cookieName].map { String($0.value) }
        let existing = cookieValue.flatMap { Self.isWellFormed($0) ? $0 : nil }
        let token = existing ?? Self.generateToken()
        context.csrfToken = token
        if ![.get, .head, .options].contains(request.method) {
            let sent = try await Self.readSubmittedToken(from: &request, context: context)
            guard let existing, let sent, Self.constantTimeEquals(sent, existing) else {
                throw HTTPError(.forbidden, message: "The form has expired or did not come from this site; reload the page and try again.")
            }
        }
        var response = try await next(request, context)
        if existing == nil {
            response.setCookie(
                Cookie(name: Self.cookieName, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// A new random token (32 bytes, URL-safe base64 without padding).
    public static func generateToken() -> String {
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.count == 43 && token.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }

    /// The token from the header, the urlencoded `_csrf` field, or (multipart forms) the `_csrf` query item.
    static func readSubmittedToken(from request: inout Request, context: Context) async throws -> String? {
        if let header = request.headers[headerName] { return header }
        if let fromQuery = request.uri.queryParameters.get(fieldName) { return fromQuery }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else { return nil }
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let text = String(buffer: body)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, String(parts[0]) == fieldName else { continue }
            return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }

    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
