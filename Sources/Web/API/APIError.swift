import Engine
import Hummingbird
import Storage

/// An API failure as it goes on the wire: `{"error": {"code": …, "message": …}}` with an HTTP status.
/// Codes: scoring.md §7 codes for bad heatmaps/regions/JSON, plus `unauthorized`, `forbidden`, `not_found`,
/// `invalid_request`, `conflict`, `payload_too_large`, `not_scored` and `internal_error`.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, code: "unauthorized", message) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, code: "forbidden", message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message) }
    public static func invalidRequest(_ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_request", message)
    }

    /// Maps any error raised under `/api/v1` to its wire form (the only place that does so).
    public static func describe(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as EngineError:
            return APIError(.unprocessableContent, code: error.code.rawValue, error.message)
        case let error as StorageError:
            switch error {
            case .notFound(let what): return .notFound("Not found: \(what).")
            case .duplicate(let what): return APIError(.conflict, code: "conflict", "Already exists: \(what).")
            case .invalidValue(let message): return .invalidRequest(message)
            case .invalidDatabaseURL, .resourceDirectoryNotFound:
                return APIError(.internalServerError, code: "internal_error", "Internal server error.")
            }
        case let error as HTTPError:
            switch error.status {
            case .unauthorized: return .unauthorized(error.body ?? "Authentication required.")
            case .forbidden: return .forbidden(error.body ?? "Forbidden.")
            case .notFound: return .notFound(error.body ?? "Not found.")
            case .contentTooLarge:
                return APIError(.contentTooLarge, code: "payload_too_large", error.body ?? "The request body is too large.")
            case let status where status.code >= 500:
                return APIError(.internalServerError, code: "internal_error", "Internal server error.")
            default: return APIError(error.status, code: "invalid_request", error.body ?? error.status.reasonPhrase)
            }
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return APIError(.contentTooLarge, code: "payload_too_large", "The request body is too large.")
        case let error as any HTTPResponseError where error.status.code < 500:
            return APIError(error.status, code: "invalid_request", error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, code: "internal_error", "Internal server error.")
        }
    }

    /// The JSON body.
    public var jsonValue: JSONValue {
        .object([("error", .object([("code", .string(code)), ("message", .string(message))]))])
    }
}
