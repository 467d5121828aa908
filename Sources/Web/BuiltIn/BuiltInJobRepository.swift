import Engine
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Storage
import VisionModel

/// The built-in Grad-CAM queue (`builtin_heatmap_jobs`).
///
/// Jobs are claimed with `FOR UPDATE SKIP LOCKED` as leases (like `scoring_jobs`): a job whose worker died is
/// claimed again once the lease ran out, so a restart loses nothing. Finishing a job stores its run (source
/// `builtin`, heatmaps source `builtin`), enqueues the run's scoring and marks the job done in one transaction,
/// and only while the worker still holds the lease, so a job never produces two runs.
public struct BuiltInJobRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    /// After this many claims a job is given up (`failed`).
    public static let maxAttempts = 3

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let selectColumns = """
        SELECT id, project_id, image_id, prompt_version_id, layer, targets::text, description, status, attempts,
            last_error, run_id, created_by, created_at, finished_at
        FROM builtin_heatmap_jobs
        """

    /// Queues a job; the prompt version and the image must belong to `projectID` (`StorageError.notFound`).
    public func enqueueJob(
        projectID: Project.ID, imageID: Image.ID, promptVersionID: PromptVersion.ID, layer: GradCAMLayer,
        targets: [BuiltInTarget], description: String?, createdBy: User.ID?
    ) async throws -> BuiltInJob {
        guard !targets.isEmpty else { throw StorageError.invalidValue("a built-in job needs at least one target") }
        let targetsJSON = String(decoding: try JSONEncoder().encode(targets), as: UTF8.self)
        let layerName = layer.rawValue
        let rows = try await client.query(
            """
            INSERT INTO builtin_heatmap_jobs (project_id, image_id, prompt_version_id, layer, targets, description,
                created_by)
            SELECT \(projectID), i.id, p.id, \(layerName), \(targetsJSON)::jsonb, \(description), \(createdBy)
            FROM images i, prompt_versions p
            WHERE i.id = \(imageID) AND i.project_id = \(projectID) AND p.id = \(promptVersionID)
              AND p.project_id = \(projectID)
            RETURNING id
            """, logger: logger)
        guard let id = try await rows.decode(Int64.self).first(where: { _ in true }),
            let job = try await findJob(id: id)
        else { throw StorageError.notFound("image \(imageID) or prompt version \(promptVersionID)") }
        return job
    }

    /// The job with this id, if any.
    public func findJob(id: Int64) async throws -> BuiltInJob? {
        let rows = try await client.query("\(unescaped: Self.selectColumns) WHERE id = \(id)", logger: logger)
        return try await Self.decodeJobs(rows).first
    }

    /// The latest jobs of an image, newest first.
    public func listJobs(imageID: Image.ID, limit: Int = 20) async throws -> [BuiltInJob] {
        let limit = Int32(limit)
        let rows = try await client.query(
            "\(unescaped: Self.selectColumns) WHERE image_id = \(imageID) ORDER BY created_at DESC, id DESC LIMIT \(limit)",
            logger: logger)
        return try await Self.decodeJobs(rows)
    }

    /// The latest jobs of a project, newest first.
    public func listJobs(projectID: Project.ID, limit: Int = 50) async throws -> [BuiltInJob] {
        let limit = Int32(limit)
        let rows = try await client.query(
            """
            \(unescaped: Self.selectColumns) WHERE project_id = \(projectID) ORDER BY created_at DESC, id DESC
            LIMIT \(limit)
            """, logger: logger)
        return try await Self.decodeJobs(rows)
    }

    /// Number of pending or running jobs in the whole database (tests, health).
    public func countOpenJobs() async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*) FROM builtin_heatmap_jobs WHERE status IN ('pending', 'running')", logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// Claims the oldest pending job (or a running one whose lease expired); only job `jobID` when given.
    /// `nil` when there is nothing to claim.
    public func claimJob(workerID: String, lease: Duration, jobID: Int64? = nil) async throws -> BuiltInJobClaim? {
        let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let maxAttempts = Int32(Self.maxAttempts)
        try await client.query(
            """
            UPDATE builtin_heatmap_jobs SET status = 'failed', finished_at = clock_timestamp(),
                last_error = coalesce(last_error, 'the worker lost the job too many times')
            WHERE status = 'running' AND attempts >= \(maxAttempts)
              AND locked_at < clock_timestamp() - make_interval(secs => \(seconds))
            """, logger: logger)
        let anyJob = jobID == nil
        let only = jobID ?? 0
        let rows = try await client.query(
            """
            UPDATE builtin_heatmap_jobs SET status = 'running', attempts = attempts + 1,
                locked_at = clock_timestamp(), locked_by = \(workerID)
            WHERE id = (
                SELECT id FROM builtin_heatmap_jobs
                WHERE (status = 'pending'
                       OR (status = 'running' AND locked_at < clock_timestamp() - make_interval(secs => \(seconds))))
                  AND (\(anyJob) OR id = \(only))
                ORDER BY created_at, id
                FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id
            """, logger: logger)
        guard let id = try await rows.decode(Int64.self).first(where: { _ in true }),
            let job = try await findJob(id: id)
        else { return nil }
        return BuiltInJobClaim(job: job, workerID: workerID)
    }

    /// Stores the run with one `builtin` heatmap per target, enqueues its scoring and marks the job done, all in
    /// one transaction and only while `claim` holds the job. Returns the run's id, or `nil` (nothing stored) when
    /// the lease was lost.
    public func completeJob(_ claim: BuiltInJobClaim, maps: [GradCAMMap], latencyMs: Int?) async throws -> Run.ID? {
        let job = claim.job
        guard maps.count == job.targets.count, !maps.isEmpty else {
            throw StorageError.invalidValue("job \(job.id): \(maps.count) maps for \(job.targets.count) targets")
        }
        let runID = Run.ID.generate()
        let logger = self.logger
        let modelName = BuiltInHeatmapService.modelName
        return try await client.withTransaction(logger: logger) { connection -> Run.ID? in
            let held = try await connection.query(
                """
                SELECT id FROM builtin_heatmap_jobs
                WHERE id = \(job.id) AND status = 'running' AND locked_by = \(claim.workerID) FOR UPDATE
                """, logger: logger)
            guard try await held.decode(Int64.self).first(where: { _ in true }) != nil else { return nil }
            let heatmaps = zip(job.targets, maps).map { target, map in
                NewHeatmap(
                    label: target.label, map: FloatMap(width: map.width, height: map.height, values: map.values),
                    source: .builtin,
                    fileName: "efficientnet-lite0 Grad-CAM \(job.layer.rawValue), class \(target.classIndex) "
                        + "(\(target.className))")
            }
            let run = NewRun(
                projectID: job.projectID, promptVersionID: job.promptVersionID, imageID: job.imageID,
                modelName: modelName, description: job.description, latencyMs: latencyMs, source: .builtin,
                createdBy: job.createdBy)
            try await RunRepository.insertRun(run, id: runID, heatmaps: heatmaps, on: connection, logger: logger)
            try await connection.query(
                """
                UPDATE builtin_heatmap_jobs SET status = 'done', run_id = \(runID), finished_at = clock_timestamp(),
                    last_error = NULL, locked_at = NULL
                WHERE id = \(job.id)
                """, logger: logger)
            return runID
        }
    }

    /// Gives up a claimed job for good (bad input: undecodable image, unknown class, model unavailable).
    public func failJob(_ claim: BuiltInJobClaim, error message: String) async throws {
        try await client.query(
            """
            UPDATE builtin_heatmap_jobs SET status = 'failed', finished_at = clock_timestamp(), last_error = \(message),
                locked_at = NULL
            WHERE id = \(claim.job.id) AND status = 'running' AND locked_by = \(claim.workerID)
            """, logger: logger)
    }

    /// Gives a claimed job back after an infrastructure failure: pending again until `maxAttempts`, then failed.
    public func releaseJob(_ claim: BuiltInJobClaim, error message: String) async throws {
        let maxAttempts = Int32(Self.maxAttempts)
        try await client.query(
            """
            UPDATE builtin_heatmap_jobs
            SET status = CASE WHEN attempts >= \(maxAttempts) THEN 'failed' ELSE 'pending' END,
                locked_at = NULL, locked_by = NULL, last_error = \(message),
                finished_at = CASE WHEN attempts >= \(maxAttempts) THEN clock_timestamp() END
            WHERE id = \(claim.job.id) AND status = 'running' AND locked_by = \(claim.workerID)
            """, logger: logger)
    }

    static func decodeJobs(_ rows: PostgresRowSequence) async throws -> [BuiltInJob] {
        var jobs: [BuiltInJob] = []
        for try await row in rows {
            let (id, projectID, imageID, promptID, layer, targets, description, status, attempts, lastError, runID, by,
                 createdAt, finishedAt) =
                try row.decode(
                    (Int64, Project.ID, Image.ID, PromptVersion.ID, String, String, String?, String, Int32, String?,
                     Run.ID?, User.ID?, Date, Date?).self)
            jobs.append(
                BuiltInJob(
                    id: id, projectID: projectID, imageID: imageID, promptVersionID: promptID,
                    layer: GradCAMLayer(rawValue: layer) ?? .head,
                    targets: (try? JSONDecoder().decode([BuiltInTarget].self, from: Data(targets.utf8))) ?? [],
                    description: description, status: BuiltInJobStatus(rawValue: status) ?? .failed,
                    attempts: Int(attempts), lastError: lastError, runID: runID, createdBy: by, createdAt: createdAt,
                    finishedAt: finishedAt))
        }
        return jobs
    }
}
