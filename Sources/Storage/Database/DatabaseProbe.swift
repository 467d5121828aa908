import Logging
import PostgresNIO

/// Answers "is PostgreSQL reachable right now?" with a bounded wait, for `/healthz`.
public struct DatabaseProbe: Sendable {
    /// The pool to probe.
    public let client: PostgresClient
    /// How long to wait for `SELECT 1` before calling the database unreachable.
    public var timeout: Duration

    public init(client: PostgresClient, timeout: Duration = .seconds(2)) {
        self.client = client
        self.timeout = timeout
    }

    /// Runs `SELECT 1`; `true` when it answered within `timeout`. Never throws: any failure means unreachable.
    public func checkConnection(logger: Logger? = nil) async -> Bool {
        let client = self.client
        let timeout = self.timeout
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    let rows = try await client.query("SELECT 1::int4", logger: logger)
                    for try await value in rows.decode(Int32.self) where value == 1 { return true }
                    return false
                } catch {
                    logger?.debug("database probe failed", metadata: ["error": "\(String(reflecting: error))"])
                    return false
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
