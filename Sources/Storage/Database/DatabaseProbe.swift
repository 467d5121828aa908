import Foundation
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
    ///
    /// The answer never waits longer than `timeout`: while PostgreSQL is down the pool may hold a query until it
    /// has a connection again, so the query runs in a task of its own that is cancelled (and not awaited) when
    /// the time is up.
    public func checkConnection(logger: Logger? = nil) async -> Bool {
        let client = self.client
        let timeout = self.timeout
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer = ProbeAnswer(continuation)
            let query = Task {
                do {
                    let rows = try await client.query("SELECT 1::int4", logger: logger)
                    var reachable = false
                    for try await value in rows.decode(Int32.self) where value == 1 { reachable = true }
                    answer.give(reachable)
                } catch {
                    logger?.debug("database probe failed", metadata: ["error": "\(String(reflecting: error))"])
                    answer.give(false)
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                answer.give(false)
                query.cancel()
            }
        }
    }
}

/// Resumes a probe's continuation exactly once: with the query's answer or the timeout's, whichever comes first.
private final class ProbeAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Bool, Never>?

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = continuation
    }

    func give(_ reachable: Bool) {
        lock.lock()
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(returning: reachable)
    }
}
