import PostgresNIO

/// Runs a short job (a CLI command) against a `PostgresClient` whose `run()` is started for the duration.
public enum DatabaseSession {
    /// Starts `client.run()`, awaits `body`, then stops the client.
    public static func withRunningClient<T: Sendable>(
        _ client: PostgresClient, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
