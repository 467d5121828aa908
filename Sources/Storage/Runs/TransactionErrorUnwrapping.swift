import PostgresNIO

/// `PostgresClient.withTransaction` wraps what its closure throws in `PostgresTransactionError`; the repositories
/// of the development stage re-throw a `StorageError` raised inside the closure as itself, so that callers (and
/// the web layer's error mapping) see `notFound`/`invalidValue` rather than a transaction error.
enum TransactionErrorUnwrapping {
    static func unwrapStorageErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? StorageError, error.rollbackError == nil { throw inner }
            throw error
        }
    }
}
