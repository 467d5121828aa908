import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Storage

/// Turns errors thrown by handlers into responses once: HTML error pages for browsers, JSON for API clients.
/// `StorageError` maps to 404/409/400; unknown errors become 500 without leaking details.
public struct ErrorPageMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let views: ViewRenderer

    public init(views: ViewRenderer) {
        self.views = views
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, message, headers) = Self.describeError(error)
            if status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            let wantsHTML = (request.headers[.accept] ?? "").contains("text/html")
            var response: Response
            if wantsHTML {
                response = views.renderPage(
                    "errors/error", title: "\(status.code) \(status.reasonPhrase)",
                    values: ["status": status.code, "reason": status.reasonPhrase, "message": message],
                    context: context, status: status)
            } else {
                let body = #"{"error":{"status":\#(status.code),"message":\#(Self.quoteJSON(message))}}"#
                response = Response(
                    status: status, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: body)))
            }
            for field in headers where field.name != .contentType && field.name != .contentLength {
                response.headers.append(field)
            }
            return response
        }
    }

    static func describeError(_ error: any Error) -> (HTTPResponse.Status, String, HTTPFields) {
        switch error {
        case let error as PostgresTransactionError:
            // A domain error thrown inside `withTransaction` arrives wrapped; answer for the domain error.
            if let inner = error.closureError { return describeError(inner) }
            return (.internalServerError, "Internal server error.", [:])
        case let error as HTTPError:
            return (error.status, error.body ?? error.status.reasonPhrase, error.headers)
        case let error as StorageError:
            switch error {
            case .notFound: return (.notFound, "Not found.", [:])
            case .duplicate(let what): return (.conflict, "This already exists: \(what).", [:])
            case .invalidValue(let message): return (.badRequest, message, [:])
            case .invalidDatabaseURL, .resourceDirectoryNotFound:
                return (.internalServerError, "Internal server error.", [:])
            }
        case let error as any HTTPResponseError:
            return (error.status, error.status.reasonPhrase, [:])
        default:
            return (.internalServerError, "Internal server error.", [:])
        }
    }

    static func quoteJSON(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
