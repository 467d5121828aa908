import Engine
import Foundation
import Logging
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Storage

/// The scoring worker every `sightline serve` runs as a service: `concurrency` loops, each claiming one job at a
/// time from `scoring_jobs` (`FOR UPDATE SKIP LOCKED`, see `ScoringRepository`), scoring it on NIO's thread pool
/// (never on an event loop) and recording the result with the engine version, regions version and thresholds.
/// Stops claiming on graceful shutdown; a job it was working on when killed is picked up by any worker after
/// the lease runs out.
public struct ScoringWorker: Service {
    public let scoring: ScoringRepository
    public let settings: ScoringWorkerSettings
    public let workerID: String
    let logger: Logger

    public init(client: PostgresClient, settings: ScoringWorkerSettings, logger: Logger, workerID: String? = nil) {
        self.scoring = ScoringRepository(client: client, logger: logger)
        self.settings = settings
        self.logger = logger
        self.workerID = workerID ?? Self.makeWorkerID()
    }

    /// `host:pid:random` — unique per process start.
    public static func makeWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        return "\(host):\(pid):\(UUID().uuidString.prefix(8).lowercased())"
    }

    public func run() async throws {
        guard settings.isEnabled else {
            try? await gracefulShutdown()
            return
        }
        logger.info("scoring worker started", metadata: ["worker": "\(workerID)", "concurrency": "\(settings.concurrency)"])
        await withTaskGroup(of: Void.self) { group in
            for slot in 0..<settings.concurrency {
                group.addTask { await runLoop(slot: slot) }
            }
        }
        logger.info("scoring worker stopped", metadata: ["worker": "\(workerID)"])
    }

    func runLoop(slot: Int) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var worked = false
            do {
                worked = try await processNextJob()
            } catch {
                logger.warning("scoring job failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            if !worked {
                // Sleep, but wake at once on graceful shutdown or cancellation.
                _ = try? await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: settings.pollInterval)
                }
            }
        }
    }

    /// Claims and scores one job; `false` when the queue had nothing to claim.
    @discardableResult
    public func processNextJob() async throws -> Bool {
        guard let claim = try await scoring.claimJob(workerID: workerID, lease: settings.lease) else { return false }
        do {
            try await scoreClaim(claim)
        } catch {
            try? await scoring.releaseJob(claim, error: String(describing: error))
            throw error
        }
        return true
    }

    /// Processes jobs until none can be claimed (tests, demo seeding); returns how many were processed.
    @discardableResult
    public func drainQueue() async throws -> Int {
        var count = 0
        while try await processNextJob() { count += 1 }
        return count
    }

    func scoreClaim(_ claim: ScoringJobClaim) async throws {
        guard let snapshot = try await scoring.fetchScoringSnapshot(runID: claim.runID) else {
            // The run was deleted: nothing to score; the job row went with it (cascade) or is dropped here.
            try await scoring.releaseJob(claim, error: "run no longer exists")
            return
        }
        let score = try await NIOThreadPool.singleton.runIfActive { RunScoring.score(snapshot) }
        let recorded = try await scoring.completeJob(claim, score: score)
        logger.debug(
            "scored run",
            metadata: [
                "run": "\(claim.runID)", "verdict": "\(score.verdict)", "recorded": "\(recorded)",
                "reason": "\(claim.reason)",
            ])
    }
}
