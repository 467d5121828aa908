import Logging
import PostgresNIO

/// Runs a transaction for the sign-off and comment repositories and rethrows the closure's own error (a
/// `SignOffRefusal`, a `StorageError`) instead of PostgresNIO's `PostgresTransactionError` wrapper, so callers
/// and the web layer see what went wrong.
enum ReviewTransaction {
    static func run<Result: Sendable>(
        _ client: PostgresClient, logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
    }
}
