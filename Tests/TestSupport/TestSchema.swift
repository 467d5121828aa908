import Logging
import PostgresNIO
import Storage

/// One test's private schema: its name, a configuration whose connections use it, and (inside
/// `TestDatabase.withSchema`) a running client.
public struct TestSchema: Sendable {
    public let name: String
    /// `DATABASE_URL` with `search_path` set to this schema.
    public let configuration: DatabaseConfiguration
    public let logger: Logger
    /// The running client bound to the schema (set inside `TestDatabase.withSchema`).
    public private(set) var client: PostgresClient?

    init(name: String, configuration: DatabaseConfiguration, logger: Logger, client: PostgresClient? = nil) {
        self.name = name
        self.configuration = configuration
        self.logger = logger
        self.client = client
    }

    func with(client: PostgresClient) -> TestSchema {
        TestSchema(name: name, configuration: configuration, logger: logger, client: client)
    }

    /// The running client; throws if used outside `withSchema`.
    public func requireClient() throws -> PostgresClient {
        guard let client else { throw TestSupportError("no client: use TestDatabase.withSchema") }
        return client
    }

    /// Runs `body` with an extra, separately pooled client on this schema (e.g. a second "process").
    public func withClient<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: logger)
        return try await DatabaseSession.withRunningClient(client) { try await body(client) }
    }
}
