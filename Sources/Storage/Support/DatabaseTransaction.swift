import Logging
import PostgresNIO

/// The one way the repositories open a transaction.
///
/// - When `actor` is given, the first statement records it in the transaction-local setting `sightline.actor`, which
///   the audit trigger (`record_audit_entry`) reads, so every audit row written by the transaction names who did it.
/// - PostgresNIO wraps whatever the closure throws in `PostgresTransactionError`; this rethrows the closure's own
///   error (a `StorageError`, a `SignOffRefusal`…) when the rollback succeeded, so callers and the web layer's error
///   mapping see the domain error.
enum DatabaseTransaction {
    static func run<Result: Sendable>(
        _ client: PostgresClient, actor: User.ID? = nil, logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                if let actor {
                    try await recordActor(actor, on: connection, logger: logger)
                }
                return try await body(connection)
            }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
    }

    /// Sets `sightline.actor` for the rest of the current transaction.
    static func recordActor(_ actor: User.ID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT set_config('sightline.actor', \(actor.description), true)",
                                   logger: logger)
    }
}
