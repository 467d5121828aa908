/// The state of a built-in Grad-CAM job (`builtin_heatmap_jobs.status`).
public enum BuiltInJobStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for a worker.
    case pending
    /// A worker is computing it (leased).
    case running
    /// The run was stored (and queued for scoring).
    case done
    /// Given up; `lastError` says why.
    case failed

    /// Whether the job is still to be finished.
    public var isOpen: Bool { self == .pending || self == .running }
}
