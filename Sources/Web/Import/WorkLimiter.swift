/// A counting semaphore for async code: at most `limit` jobs hold a slot at once, the others wait in order.
/// Used to bound CPU-heavy work (image decoding) so uploads never starve the event loops.
public actor WorkLimiter {
    /// Number of slots.
    public let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` on a detached task (off the caller's executor) once a slot is free.
    public func run<T: Sendable, Failure: Error>(
        _ body: @escaping @Sendable () throws(Failure) -> T
    ) async throws(Failure) -> T {
        await acquireSlot()
        let result = await Task.detached(priority: .userInitiated) { () -> Result<T, Failure> in
            do throws(Failure) { return .success(try body()) } catch { return .failure(error) }
        }.value
        releaseSlot()
        return try result.get()
    }

    private func acquireSlot() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func releaseSlot() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
