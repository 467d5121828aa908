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
    /// (the field name), `currentUser` and `isSignedIn`. Empty strings are dropped from the values first (see
    /// `dropEmptyStrings`).
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
        guard let html = library.render(Self.dropEmptyStrings(all), withTemplate: template) else {
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

    /// `values` without the dictionary entries whose value is an empty string, at every depth.
    ///
    /// swift-mustache treats any string, even `""`, as true in a section, so `{{#error}}…{{/error}}` would render for
    /// an empty message; most Mustache implementations (mustache.js, the spec's examples) treat `""` as false. Without
    /// the entry, `{{#x}}` is skipped, `{{^x}}` rendered and `{{x}}` prints nothing — what every template here means.
    static func dropEmptyStrings(_ values: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        result.reserveCapacity(values.count)
        for (key, value) in values {
            if let string = value as? String {
                if !string.isEmpty { result[key] = string }
            } else if let nested = value as? [String: Any] {
                result[key] = dropEmptyStrings(nested)
            } else if let items = value as? [Any] {
                result[key] = items.map { item -> Any in
                    (item as? [String: Any]).map(dropEmptyStrings) ?? item
                }
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// Whether a template of this name was loaded.
    public func hasTemplate(_ name: String) -> Bool {
        library.getTemplate(named: name) != nil
    }
}
