import Foundation
import PostgresNIO

/// PostgreSQL connection settings parsed from a `DATABASE_URL`.
///
/// Accepted forms: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]` for TCP and
/// `postgres://USER@/DATABASE?host=/socket/dir[&port=5432]` (libpq style) for a unix socket.
/// `search_path=SCHEMA` in the query adds a per-connection startup parameter (used by the tests).
public struct DatabaseConfiguration: Sendable {
    /// The configuration handed to `PostgresClient`.
    public var clientConfiguration: PostgresClient.Configuration
    /// The URL with the password masked, for logs.
    public var redactedURL: String

    /// Parses a `DATABASE_URL`.
    public init(url string: String) throws {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else {
            throw StorageError.invalidDatabaseURL("expected postgres://USER@HOST:PORT/DATABASE, got '\(string)'")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        let databaseName: String? = database.isEmpty ? nil : (database.removingPercentEncoding ?? database)
        let port = components.port ?? query["port"].flatMap(Int.init) ?? 5432
        let host = (components.percentEncodedHost ?? "").removingPercentEncoding ?? ""
        let socketDirectory: String? =
            if let dir = query["host"], dir.hasPrefix("/") { dir } else if host.hasPrefix("/") { host } else { nil }

        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password,
                database: databaseName)
        } else {
            guard !host.isEmpty else { throw StorageError.invalidDatabaseURL("no host in '\(string)'") }
            let tls: PostgresClient.Configuration.TLS
            switch query["sslmode"] ?? "disable" {
            case "disable", "allow": tls = .disable
            case "prefer": tls = .prefer(.makeClientConfiguration())
            case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
            case let other: throw StorageError.invalidDatabaseURL("unsupported sslmode '\(other)'")
            }
            configuration = .init(
                host: host, port: port, username: user, password: password, database: databaseName, tls: tls)
        }
        if let searchPath = query["search_path"], !searchPath.isEmpty {
            configuration.options.additionalStartupParameters.append(("search_path", searchPath))
        }
        configuration.options.connectTimeout = .seconds(5)
        self.clientConfiguration = configuration
        var redacted = components
        if redacted.password != nil { redacted.password = "***" }
        self.redactedURL = redacted.string ?? "postgres://…"
    }

    /// Reads `DATABASE_URL` from the environment.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> DatabaseConfiguration {
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            throw StorageError.invalidDatabaseURL(
                "DATABASE_URL is not set (scripts/serve and scripts/test set it; e.g. postgres://postgres@/sightline?host=/run/postgresql)"
            )
        }
        return try DatabaseConfiguration(url: url)
    }

    /// The same settings with every connection's `search_path` set to `schema` (a startup parameter, so it holds
    /// for every pooled connection, including ones made after a reconnect).
    public func withSearchPath(_ schema: String) -> DatabaseConfiguration {
        var copy = self
        copy.clientConfiguration.options.additionalStartupParameters.removeAll { $0.0 == "search_path" }
        copy.clientConfiguration.options.additionalStartupParameters.append(("search_path", schema))
        return copy
    }
}
