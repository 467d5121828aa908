import Foundation
import Hummingbird
import Mustache
import Storage

/// Renders `templates/<resource>/<page>.mustache` pages (which extend `layout.mustache`) into HTML responses.
/// Every `{{value}}` is HTML-escaped by Mustache; templates never use triple braces for user text.
public struct ViewRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every template of `directory` (names are paths without `.mustache`, e.g. `auth/login`).
    public init(directory: String) async throws {
        self.library = try await MustacheLibrary(directory: directory)
    }

    /// Renders `template` with `values` plus the values every page gets: `title`, `csrfToken`, `csrfField`
    /// (the field name), `currentUser` and `isSignedIn`.
    public func renderPage(
        _ template: String, title: String, values: [String: Any] = [:], context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var all = values
        all["title"] = title
        all["csrfToken"] = context.csrfToken
        all["csrfField"] = CSRFMiddleware.fieldName
        if let user = context.identity {
            all["isSignedIn"] = true
            all["currentUser"] = [
                "displayName": user.displayName, "email": user.email, "isAdmin": user.isAdmin,
                "id": user.id.description,
            ] as [String: Any]
        } else {
            all["isSignedIn"] = false
        }
        guard let html = library.render(all, withTemplate: template) else {
            context.logger.error("missing template", metadata: ["template": "\(template)"])
            return Response(
                status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "template \(template) is missing")))
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Whether a template of this name was loaded.
    public func hasTemplate(_ name: String) -> Bool {
        library.getTemplate(named: name) != nil
    }
}
