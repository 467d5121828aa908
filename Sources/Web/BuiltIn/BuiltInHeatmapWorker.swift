import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Storage
import VisionModel

/// The background worker of built-in Grad-CAM jobs, run as a service by every `sightline serve`: `concurrency`
/// loops (the service's, 1 or 2) each claim a job (`BuiltInJobRepository`), compute its maps through
/// `BuiltInHeatmapService` (off the event loops) and store the run, which the scoring worker then scores.
/// Stops claiming on graceful shutdown; an interrupted job is claimed again after its lease.
public struct BuiltInHeatmapWorker: Service {
    public let jobs: BuiltInJobRepository
    public let service: BuiltInHeatmapService
    public let workerID: String
    /// Pause between polls of an empty queue (`SIGHTLINE_BUILTIN_POLL_MS`, default 500).
    public let pollInterval: Duration
    /// A claimed job whose worker died is claimed again after this long (`SIGHTLINE_BUILTIN_LEASE_S`, default 300;
    /// one Grad-CAM takes well under a second, so the default only delays recovery after a crash).
    public let lease: Duration
    let logger: Logger

    public init(
        client: PostgresClient, service: BuiltInHeatmapService, logger: Logger, workerID: String? = nil,
        pollInterval: Duration? = nil, lease: Duration? = nil
    ) {
        self.jobs = BuiltInJobRepository(client: client, logger: logger)
        self.service = service
        self.logger = logger
        self.workerID = workerID ?? "builtin:" + ScoringWorker.makeWorkerID()
        let pollMs = ProcessInfo.processInfo.environment["SIGHTLINE_BUILTIN_POLL_MS"].flatMap(Int.init)
            .flatMap { (10...60_000).contains($0) ? $0 : nil } ?? 500
        self.pollInterval = pollInterval ?? .milliseconds(pollMs)
        let leaseSeconds = ProcessInfo.processInfo.environment["SIGHTLINE_BUILTIN_LEASE_S"].flatMap(Int.init)
            .flatMap { (1...86_400).contains($0) ? $0 : nil } ?? 300
        self.lease = lease ?? .seconds(leaseSeconds)
    }

    public func run() async throws {
        let enabled = ProcessInfo.processInfo.environment["SIGHTLINE_BUILTIN_WORKER"].map {
            !["0", "false", "no", "off"].contains($0.lowercased())
        } ?? true
        guard enabled else {
            try? await gracefulShutdown()
            return
        }
        logger.info("built-in Grad-CAM worker started", metadata: ["worker": "\(workerID)"])
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<service.concurrency {
                group.addTask { await runLoop() }
            }
        }
        logger.info("built-in Grad-CAM worker stopped", metadata: ["worker": "\(workerID)"])
    }

    func runLoop() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var worked = false
            do {
                worked = try await processNextJob()
            } catch {
                logger.warning("built-in Grad-CAM job failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            if !worked {
                _ = try? await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: pollInterval)
                }
            }
        }
    }

    /// Claims and computes one job (only job `jobID` when given); `false` when there was nothing to claim.
    @discardableResult
    public func processNextJob(jobID: Int64? = nil) async throws -> Bool {
        guard let claim = try await jobs.claimJob(workerID: workerID, lease: lease, jobID: jobID) else { return false }
        try await processClaim(claim)
        return true
    }

    /// Processes jobs until none can be claimed (tests, demo seeding); returns how many were processed.
    @discardableResult
    public func drainQueue() async throws -> Int {
        var count = 0
        while try await processNextJob() { count += 1 }
        return count
    }

    func processClaim(_ claim: BuiltInJobClaim) async throws {
        let job = claim.job
        let bytes: ByteBuffer?
        do {
            bytes = try await ImageRepository(client: jobs.client, logger: logger).fetchOriginal(imageID: job.imageID)
        } catch {
            try? await jobs.releaseJob(claim, error: "reading the image failed: \(error)")
            throw error
        }
        guard let bytes else {
            try await jobs.failJob(claim, error: "The image no longer exists.")
            return
        }
        let maps: [GradCAMMap]
        // The run's latency is the computation's: the one-time loading of the weights is not part of it.
        var started = ContinuousClock.now
        do {
            _ = try await service.loadModel()
            started = ContinuousClock.now
            maps = try await service.computeMaps(
                imageBytes: Array(bytes.readableBytesView), targets: job.targets, layer: job.layer)
        } catch let error as BuiltInHeatmapError {
            try await jobs.failJob(claim, error: error.message)
            logger.notice("built-in Grad-CAM job refused", metadata: ["job": "\(job.id)", "error": "\(error)"])
            return
        } catch {
            try? await jobs.releaseJob(claim, error: String(describing: error))
            throw error
        }
        let elapsed = ContinuousClock.now - started
        let latency = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        do {
            let runID = try await jobs.completeJob(claim, maps: maps, latencyMs: latency)
            logger.debug(
                "built-in Grad-CAM run stored",
                metadata: ["job": "\(job.id)", "run": "\(runID.map { "\($0)" } ?? "lease lost")"])
        } catch {
            try? await jobs.releaseJob(claim, error: String(describing: error))
            throw error
        }
    }
}
