import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The scoring queue (`scoring_jobs`) and its results (`run_scores`).
///
/// Jobs are claimed with `FOR UPDATE SKIP LOCKED`, so any number of `sightline serve` processes on one database
/// share the work without taking the same job twice. A claim is a lease: a job whose worker died (status still
/// `running`, `locked_at` older than the lease) is claimed again by the next worker. A result is recorded only
/// while its worker still holds the lease, in the same transaction that marks the job done, so a run is never
/// scored twice by one job.
public struct ScoringRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    /// After this many claims a job is given up (`failed`).
    public static let maxAttempts = 5

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Enqueues a job for `runID` on an open transaction (no-op when one is already pending).
    static func enqueueScoring(_ connection: PostgresConnection, runID: Run.ID, reason: String, logger: Logger)
        async throws
    {
        try await connection.query(
            """
            INSERT INTO scoring_jobs (run_id, reason) VALUES (\(runID), \(reason))
            ON CONFLICT (run_id) WHERE status = 'pending' DO NOTHING
            """, logger: logger)
    }

    /// Enqueues a job for `runID` (no-op when one is already pending).
    public func enqueueScoring(runID: Run.ID, reason: String) async throws {
        try await client.query(
            """
            INSERT INTO scoring_jobs (run_id, reason) VALUES (\(runID), \(reason))
            ON CONFLICT (run_id) WHERE status = 'pending' DO NOTHING
            """, logger: logger)
    }

    /// Enqueues a re-score of every run of a project; returns how many runs got a new job.
    @discardableResult
    public func enqueueScoring(projectID: Project.ID, reason: String) async throws -> Int {
        let rows = try await client.query(
            """
            INSERT INTO scoring_jobs (run_id, reason) SELECT id, \(reason) FROM runs WHERE project_id = \(projectID)
            ON CONFLICT (run_id) WHERE status = 'pending' DO NOTHING RETURNING id
            """, logger: logger)
        var count = 0
        for try await _ in rows.decode(Int64.self) { count += 1 }
        return count
    }

    /// Claims the oldest pending job, or a running one whose lease expired; `nil` when there is none.
    public func claimJob(workerID: String, lease: Duration) async throws -> ScoringJobClaim? {
        let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let maxAttempts = Int32(Self.maxAttempts)
        // Jobs claimed too often are given up first, so a poison job can't loop forever.
        try await client.query(
            """
            UPDATE scoring_jobs SET status = 'failed', finished_at = now(),
                last_error = coalesce(last_error, 'worker lost the job too many times')
            WHERE status = 'running' AND attempts >= \(maxAttempts)
              AND locked_at < clock_timestamp() - make_interval(secs => \(seconds))
            """, logger: logger)
        let rows = try await client.query(
            """
            UPDATE scoring_jobs SET status = 'running', attempts = attempts + 1, locked_at = clock_timestamp(),
                locked_by = \(workerID)
            WHERE id = (
                SELECT id FROM scoring_jobs
                WHERE status = 'pending'
                   OR (status = 'running' AND locked_at < clock_timestamp() - make_interval(secs => \(seconds)))
                ORDER BY created_at, id
                FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id, run_id, reason, attempts
            """, logger: logger)
        for try await (id, runID, reason, attempts) in rows.decode((Int64, Run.ID, String, Int32).self) {
            return ScoringJobClaim(jobID: id, runID: runID, reason: reason, attempts: Int(attempts), workerID: workerID)
        }
        return nil
    }

    /// Extends the lease of a claimed job (long jobs); `false` when the worker no longer holds it.
    public func renewLease(_ claim: ScoringJobClaim) async throws -> Bool {
        let rows = try await client.query(
            """
            UPDATE scoring_jobs SET locked_at = clock_timestamp()
            WHERE id = \(claim.jobID) AND status = 'running' AND locked_by = \(claim.workerID) RETURNING id
            """, logger: logger)
        return try await rows.decode(Int64.self).first(where: { _ in true }) != nil
    }

    /// Records `score` and marks the job done, atomically, only while `claim` still holds the job; returns
    /// `false` (and records nothing) when the lease was lost to another worker.
    @discardableResult
    public func completeJob(_ claim: ScoringJobClaim, score: NewRunScore) async throws -> Bool {
        let logger = self.logger
        let id = RunScore.ID.generate()
        return try await DatabaseTransaction.run(client, logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT id FROM scoring_jobs
                WHERE id = \(claim.jobID) AND status = 'running' AND locked_by = \(claim.workerID) FOR UPDATE
                """, logger: logger)
            guard try await rows.decode(Int64.self).first(where: { _ in true }) != nil else { return false }
            try await connection.query(
                """
                INSERT INTO run_scores (id, run_id, verdict, diagnosis, error_code, error_message, engine_version,
                    region_version_id, thresholds, job_id)
                VALUES (\(id), \(claim.runID), \(score.verdict), \(score.diagnosisJSON)::json, \(score.errorCode),
                    \(score.errorMessage), \(score.engineVersion), \(score.regionVersionID),
                    \(score.thresholdsJSON)::jsonb, \(claim.jobID))
                """, logger: logger)
            try await connection.query(
                """
                UPDATE scoring_jobs SET status = 'done', finished_at = clock_timestamp(), last_error = NULL
                WHERE id = \(claim.jobID)
                """, logger: logger)
            return true
        }
    }

    /// Gives a claimed job back after an infrastructure failure: pending again (retried) until `maxAttempts`,
    /// then `failed`.
    public func releaseJob(_ claim: ScoringJobClaim, error message: String) async throws {
        let maxAttempts = Int32(Self.maxAttempts)
        try await client.query(
            """
            UPDATE scoring_jobs
            SET status = CASE WHEN attempts >= \(maxAttempts) THEN 'failed' ELSE 'pending' END,
                locked_at = NULL, locked_by = NULL, last_error = \(message),
                finished_at = CASE WHEN attempts >= \(maxAttempts) THEN clock_timestamp() END
            WHERE id = \(claim.jobID) AND status = 'running' AND locked_by = \(claim.workerID)
              AND NOT EXISTS (SELECT 1 FROM scoring_jobs p WHERE p.run_id = \(claim.runID) AND p.status = 'pending')
            """, logger: logger)
        // A newer pending job for the same run already exists: this one is simply dropped.
        try await client.query(
            """
            UPDATE scoring_jobs SET status = 'failed', finished_at = clock_timestamp(), last_error = \(message)
            WHERE id = \(claim.jobID) AND status = 'running' AND locked_by = \(claim.workerID)
            """, logger: logger)
    }

    /// Reads everything needed to score `runID` (`nil` when the run is gone).
    public func fetchScoringSnapshot(runID: Run.ID) async throws -> ScoringSnapshot? {
        let runs = RunRepository(client: client, logger: logger)
        guard let run = try await runs.findRun(id: runID) else { return nil }
        let rows = try await client.query(
            """
            SELECT i.width, i.height, p.min_energy, p.min_coverage, p.max_energy, p.hot_threshold
            FROM images i JOIN projects p ON p.id = i.project_id WHERE i.id = \(run.imageID)
            """, logger: logger)
        var found: (Int32, Int32, Float, Float, Float, Float)?
        for try await row in rows.decode((Int32, Int32, Float, Float, Float, Float).self) { found = row }
        guard let (width, height, minEnergy, minCoverage, maxEnergy, hot) = found else { return nil }
        let regions = try await RegionRepository(client: client, logger: logger)
            .findCurrentRegionVersion(imageID: run.imageID)
        let heatmaps = try await runs.fetchHeatmaps(runID: runID)
        return ScoringSnapshot(
            run: run, imageWidth: Int(width), imageHeight: Int(height), regionVersion: regions,
            thresholds: ProjectThresholds(
                minEnergy: minEnergy, minCoverage: minCoverage, maxEnergy: maxEnergy, hotThreshold: hot),
            heatmaps: heatmaps)
    }

    static let scoreColumns = """
        SELECT id, run_id, verdict, diagnosis::text, error_code, error_message, engine_version, region_version_id,
            thresholds::text, scored_at
        FROM run_scores
        """

    /// The latest score of a run, if it was scored at all.
    public func findLatestScore(runID: Run.ID) async throws -> RunScore? {
        let rows = try await client.query(
            "\(unescaped: Self.scoreColumns) WHERE run_id = \(runID) ORDER BY scored_at DESC, id LIMIT 1",
            logger: logger)
        return try await Self.decodeScores(rows).first
    }

    /// Every score of a run, newest first.
    public func listScores(runID: Run.ID) async throws -> [RunScore] {
        let rows = try await client.query(
            "\(unescaped: Self.scoreColumns) WHERE run_id = \(runID) ORDER BY scored_at DESC, id", logger: logger)
        return try await Self.decodeScores(rows)
    }

    /// The latest score of every scored run of a project, keyed by run.
    public func listLatestScores(projectID: Project.ID) async throws -> [Run.ID: RunScore] {
        let rows = try await client.query(
            """
            SELECT DISTINCT ON (s.run_id) s.id, s.run_id, s.verdict, s.diagnosis::text, s.error_code, s.error_message,
                s.engine_version, s.region_version_id, s.thresholds::text, s.scored_at
            FROM run_scores s JOIN runs r ON r.id = s.run_id
            WHERE r.project_id = \(projectID) ORDER BY s.run_id, s.scored_at DESC, s.id
            """, logger: logger)
        var result: [Run.ID: RunScore] = [:]
        for score in try await Self.decodeScores(rows) { result[score.runID] = score }
        return result
    }

    /// Runs of a project with a pending or running job.
    public func listRunsBeingScored(projectID: Project.ID) async throws -> Set<Run.ID> {
        let rows = try await client.query(
            """
            SELECT DISTINCT j.run_id FROM scoring_jobs j JOIN runs r ON r.id = j.run_id
            WHERE r.project_id = \(projectID) AND j.status IN ('pending', 'running')
            """, logger: logger)
        var result = Set<Run.ID>()
        for try await id in rows.decode(Run.ID.self) { result.insert(id) }
        return result
    }

    /// Whether `runID` has a pending or running job.
    public func isBeingScored(runID: Run.ID) async throws -> Bool {
        let rows = try await client.query(
            "SELECT count(*) FROM scoring_jobs WHERE run_id = \(runID) AND status IN ('pending', 'running')",
            logger: logger)
        for try await count in rows.decode(Int64.self) { return count > 0 }
        return false
    }

    /// Number of pending or running jobs of a project (progress display).
    public func countOpenJobs(projectID: Project.ID) async throws -> Int {
        let rows = try await client.query(
            """
            SELECT count(*) FROM scoring_jobs j JOIN runs r ON r.id = j.run_id
            WHERE r.project_id = \(projectID) AND j.status IN ('pending', 'running')
            """, logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// Number of pending or running jobs in the whole database (tests, health).
    public func countOpenJobs() async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*) FROM scoring_jobs WHERE status IN ('pending', 'running')", logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// A cached overlay PNG, if rendered before.
    public func findOverlay(runID: Run.ID, cacheKey: String) async throws -> ByteBuffer? {
        let rows = try await client.query(
            "SELECT png FROM run_overlays WHERE run_id = \(runID) AND cache_key = \(cacheKey)", logger: logger)
        for try await png in rows.decode(ByteBuffer.self) { return png }
        return nil
    }

    /// Caches an overlay PNG (first writer wins).
    public func storeOverlay(runID: Run.ID, cacheKey: String, png: ByteBuffer) async throws {
        try await client.query(
            """
            INSERT INTO run_overlays (run_id, cache_key, png) VALUES (\(runID), \(cacheKey), \(png))
            ON CONFLICT (run_id, cache_key) DO NOTHING
            """, logger: logger)
    }

    static func decodeScores(_ rows: PostgresRowSequence) async throws -> [RunScore] {
        var scores: [RunScore] = []
        for try await row in rows {
            let (id, runID, verdict, diagnosis, code, message, engine, regionVersion, thresholds, at) = try row.decode(
                (RunScore.ID, Run.ID, String, String?, String?, String?, String, RegionVersion.ID?, String, Date).self)
            scores.append(
                RunScore(
                    id: id, runID: runID, verdict: verdict, diagnosisJSON: diagnosis, errorCode: code,
                    errorMessage: message, engineVersion: engine, regionVersionID: regionVersion,
                    thresholdsJSON: thresholds, scoredAt: at))
        }
        return scores
    }
}
