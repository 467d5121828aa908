import Foundation
import Logging
import Storage

/// Server settings, read from environment variables (see README "Configuration").
public struct AppConfiguration: Sendable {
    /// `DATABASE_URL` (required by `serve` and `migrate`).
    public var databaseURL: String?
    /// `SIGHTLINE_HOST`, default `127.0.0.1`.
    public var host: String
    /// `SIGHTLINE_PORT`, default `8080`.
    public var port: Int
    /// `SIGHTLINE_DATA_DIR`, default `.data/files` (relative to the working directory).
    public var dataDirectory: String
    /// `SIGHTLINE_LOG_LEVEL`: trace, debug, info (default), notice, warning, error, critical.
    public var logLevel: Logger.Level
    /// `SIGHTLINE_MAX_UPLOAD_MB`, default 50: the largest request body accepted, in MiB.
    public var maxUploadBytes: Int
    /// `SIGHTLINE_SECURE_COOKIES=1` marks cookies `Secure` (set it when served over HTTPS).
    public var secureCookies: Bool
    /// `SIGHTLINE_BCRYPT_COST`, default 12 (tests use a lower one).
    public var bcryptCost: UInt8
    /// `SIGHTLINE_TEMPLATES_DIR` or `templates/` found from the working directory/executable.
    public var templatesDirectory: String?
    /// `SIGHTLINE_STATIC_DIR` or `static/` found from the working directory/executable.
    public var staticDirectory: String?
    /// Apply pending migrations before serving (`sightline serve` does).
    public var migrateOnStart: Bool

    public init(
        databaseURL: String? = nil, host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = ".data/files",
        logLevel: Logger.Level = .info, maxUploadBytes: Int = 50 * 1024 * 1024, secureCookies: Bool = false,
        bcryptCost: UInt8 = 12, templatesDirectory: String? = nil, staticDirectory: String? = nil,
        migrateOnStart: Bool = false
    ) {
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.logLevel = logLevel
        self.maxUploadBytes = maxUploadBytes
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
        self.templatesDirectory = templatesDirectory
        self.staticDirectory = staticDirectory
        self.migrateOnStart = migrateOnStart
    }

    /// Reads every setting from the environment; throws `ConfigurationError` naming a bad variable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.databaseURL = environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let host = environment["SIGHTLINE_HOST"], !host.isEmpty { configuration.host = host }
        if let port = environment["SIGHTLINE_PORT"], !port.isEmpty {
            guard let value = Int(port), (0...65535).contains(value) else {
                throw ConfigurationError(variable: "SIGHTLINE_PORT", message: "'\(port)' is not a port number")
            }
            configuration.port = value
        }
        if let dir = environment["SIGHTLINE_DATA_DIR"], !dir.isEmpty { configuration.dataDirectory = dir }
        if let level = environment["SIGHTLINE_LOG_LEVEL"], !level.isEmpty {
            guard let value = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError(
                    variable: "SIGHTLINE_LOG_LEVEL",
                    message: "'\(level)' is not one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = value
        }
        if let megabytes = environment["SIGHTLINE_MAX_UPLOAD_MB"], !megabytes.isEmpty {
            guard let value = Int(megabytes), value > 0, value <= 4096 else {
                throw ConfigurationError(
                    variable: "SIGHTLINE_MAX_UPLOAD_MB", message: "'\(megabytes)' is not a size in MiB (1…4096)")
            }
            configuration.maxUploadBytes = value * 1024 * 1024
        }
        if let secure = environment["SIGHTLINE_SECURE_COOKIES"] {
            configuration.secureCookies = ["1", "true", "yes"].contains(secure.lowercased())
        }
        if let cost = environment["SIGHTLINE_BCRYPT_COST"], !cost.isEmpty {
            guard let value = UInt8(cost), (4...31).contains(value) else {
                throw ConfigurationError(variable: "SIGHTLINE_BCRYPT_COST", message: "'\(cost)' is not in 4…31")
            }
            configuration.bcryptCost = value
        }
        configuration.templatesDirectory = try ResourceDirectory.templates.locatePath(environment: environment)
        configuration.staticDirectory = try ResourceDirectory.staticFiles.locatePath(environment: environment)
        return configuration
    }
}

extension AppConfiguration {
    /// Only the body-size limit, for `AppRequestContext` (which cannot carry the configuration).
    static func fromEnvironmentLimits(_ environment: [String: String]) throws -> Int {
        guard let megabytes = environment["SIGHTLINE_MAX_UPLOAD_MB"], let value = Int(megabytes), value > 0 else {
            return 50 * 1024 * 1024
        }
        return min(value, 4096) * 1024 * 1024
    }
}
