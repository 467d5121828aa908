import Foundation
import Hummingbird
import HummingbirdAuth
import Storage

/// The request context of every Sightline route: the signed-in user (if any), the session, and the CSRF token
/// that forms of this response must echo.
public struct AppRequestContext: AuthRequestContext, SessionRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user, set by the session authenticator.
    public var identity: User?
    /// Session storage handle used by `SessionMiddleware`.
    public let sessions: SessionContext<UserSession>
    /// The CSRF token (double-submit cookie) for forms rendered in this response; set by `CSRFMiddleware`.
    public var csrfToken: String
    /// The peer's address (IP without port), for login throttling records.
    public let remoteAddress: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? ""
        self.identity = nil
        self.sessions = .init()
        self.csrfToken = ""
    }

    /// `SIGHTLINE_MAX_UPLOAD_MB` (default 50 MiB): larger request bodies get 413.
    public var maxUploadSize: Int { Self.configuredMaxUploadSize }

    /// Read once from the environment.
    static let configuredMaxUploadSize: Int =
        (try? AppConfiguration.fromEnvironmentLimits(ProcessInfo.processInfo.environment)) ?? 50 * 1024 * 1024
}
