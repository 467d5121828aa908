import Engine
import Foundation
import PostgresNIO
import Storage
import Testing
import TestSupport
import Web

/// The scoring queue end to end: results with their provenance, re-scoring on region and threshold changes,
/// two workers on one database, and a job whose worker died.
@Suite("Scoring worker")
struct ScoringWorkerTests {
    @Test("a new run is scored once with engine version, regions version and thresholds")
    func scoresNewRun() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let fixture = try await DevelopmentFixture.make(client: client, logger: schema.logger)
            let run = try await fixture.createRun(client: client, logger: schema.logger)
            let scoring = ScoringRepository(client: client, logger: schema.logger)
            #expect(try await scoring.isBeingScored(runID: run.id))
            let worker = ScoringWorker(client: client, settings: .init(), logger: schema.logger)
            #expect(try await worker.drainQueue() == 1)
            #expect(try await !scoring.isBeingScored(runID: run.id))
            let score = try #require(try await scoring.findLatestScore(runID: run.id))
            #expect(score.verdict == "pass")
            #expect(score.engineVersion == EngineVersion.current)
            let regions = try await RegionRepository(client: client, logger: schema.logger)
                .findCurrentRegionVersion(imageID: fixture.image.id)
            #expect(score.regionVersionID == regions?.id)
            let thresholds = try JSONParser.parse(score.thresholdsJSON)
            #expect(thresholds["min_energy"]?.numberValue == 0.5)
            #expect(thresholds["min_coverage"]?.numberValue == 0.7)
            #expect(thresholds["hot_threshold"]?.numberValue == 0.5)
            // The stored JSON is exactly what the engine writes for the same input.
            let snapshot = try #require(try await scoring.fetchScoringSnapshot(runID: run.id))
            let expected = try Scorer.diagnose(
                ScoringInput(
                    width: 320, height: 213, regions: try RegionSet.parse(Array(DevelopmentFixture.regionsJSON.utf8)),
                    heatmaps: [("cat", DevelopmentFixture.catHeatmap(onTarget: true))], description: "A cat."),
                options: RunScoring.makeOptions(snapshot.thresholds))
            #expect(score.diagnosisJSON == expected.jsonText())
        }
    }

    @Test("changing regions or thresholds re-scores the affected runs")
    func rescoresOnChanges() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let run = try await fixture.createRun(client: client, logger: logger)
            let scoring = ScoringRepository(client: client, logger: logger)
            let worker = ScoringWorker(client: client, settings: .init(), logger: logger)
            try await worker.drainQueue()
            let first = try #require(try await scoring.findLatestScore(runID: run.id))
            #expect(first.verdict == "pass")

            // The manager moves the cat region to the right: the same heatmap now misses it.
            let moved = try RegionSet.parse(Array(#"{"regions": [{"label": "cat", "shapes": [{"type": "rect", "x": 200, "y": 20, "width": 110, "height": 180}]}]}"#.utf8))
            let version = try await RegionRepository(client: client, logger: logger)
                .createRegionVersion(imageID: fixture.image.id, regions: moved, summary: "moved", createdBy: fixture.manager.id)
            #expect(try await scoring.isBeingScored(runID: run.id))
            #expect(try await worker.drainQueue() == 1)
            let second = try #require(try await scoring.findLatestScore(runID: run.id))
            #expect(second.verdict == "fail")
            #expect(second.regionVersionID == version.id)

            // Thresholds: a min energy of 0 and coverage of 0 make the miss pass again.
            try await ProjectRepository(client: client, logger: logger).updateThresholds(
                projectID: fixture.project.id,
                thresholds: ProjectThresholds(minEnergy: 0, minCoverage: 0, maxEnergy: 0.1, hotThreshold: 0.5))
            #expect(try await scoring.isBeingScored(runID: run.id))
            #expect(try await worker.drainQueue() == 1)
            let third = try #require(try await scoring.findLatestScore(runID: run.id))
            #expect(third.verdict == "pass")
            #expect(try JSONParser.parse(third.thresholdsJSON)["min_energy"]?.numberValue == 0)
            #expect(try await scoring.listScores(runID: run.id).count == 3)
        }
    }

    @Test("two workers on one database score each run exactly once")
    func twoWorkersShareTheQueue() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            var runIDs: [Run.ID] = []
            for index in 0..<16 {
                runIDs.append(try await fixture.createRun(client: client, logger: logger, onTarget: index % 2 == 0).id)
            }
            // Two "processes": separate pools, separate worker ids, two scoring slots each.
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for name in ["a", "b"] {
                    group.addTask {
                        try await schema.withClient { other in
                            let worker = ScoringWorker(
                                client: other, settings: .init(concurrency: 2), logger: logger, workerID: "worker-\(name)")
                            return try await withThrowingTaskGroup(of: Int.self) { slots in
                                for _ in 0..<2 { slots.addTask { try await worker.drainQueue() } }
                                return try await slots.reduce(0, +)
                            }
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.reduce(0, +) == 16)
            let rows = try await client.query(
                "SELECT run_id, count(*) FROM run_scores GROUP BY run_id", logger: logger)
            var perRun: [Run.ID: Int64] = [:]
            for try await (id, count) in rows.decode((Run.ID, Int64).self) { perRun[id] = count }
            #expect(perRun.count == 16)
            #expect(perRun.values.allSatisfy { $0 == 1 })
            #expect(Set(perRun.keys) == Set(runIDs))
            let open = try await ScoringRepository(client: client, logger: logger).countOpenJobs()
            #expect(open == 0)
        }
    }

    @Test("a job claimed by a dead worker is picked up after the lease; the dead worker can't record it")
    func deadWorkerJobIsReclaimed() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let run = try await fixture.createRun(client: client, logger: logger)
            let scoring = ScoringRepository(client: client, logger: logger)
            // A worker claims the job and is killed before finishing (it never completes or releases it).
            let dead = try #require(try await scoring.claimJob(workerID: "killed", lease: .seconds(1)))
            #expect(dead.runID == run.id)
            let restarted = ScoringWorker(
                client: client, settings: .init(lease: .seconds(1)), logger: logger, workerID: "restarted")
            // While the lease holds, nobody else takes it.
            #expect(try await restarted.processNextJob() == false)
            try await Task.sleep(for: .milliseconds(1300))
            #expect(try await restarted.processNextJob() == true)
            let score = try #require(try await scoring.findLatestScore(runID: run.id))
            #expect(score.verdict == "pass")
            // The old worker coming back can no longer record a result.
            let late = NewRunScore(
                verdict: "fail", diagnosisJSON: nil, errorCode: nil, errorMessage: nil, engineVersion: "x",
                regionVersionID: nil, thresholdsJSON: "{}")
            #expect(try await scoring.completeJob(dead, score: late) == false)
            #expect(try await scoring.listScores(runID: run.id).count == 1)
            let rows = try await client.query(
                "SELECT attempts, status FROM scoring_jobs WHERE run_id = \(run.id)", logger: logger)
            for try await (attempts, status) in rows.decode((Int32, String).self) {
                #expect(attempts == 2)
                #expect(status == "done")
            }
        }
    }

    @Test("an image without regions gets an error score and is scored when regions arrive")
    func noRegionsThenRegions() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let bare = try await DevelopmentFixture.createImage(
                client: client, logger: logger, projectID: fixture.project.id, name: "coffee")
            let run = try await RunRepository(client: client, logger: logger).createRun(
                NewRun(
                    projectID: fixture.project.id, promptVersionID: fixture.prompt.id, imageID: bare.id,
                    modelName: "m", description: nil, latencyMs: nil, source: .api, createdBy: fixture.engineer.id),
                heatmaps: [NewHeatmap(label: "cup", map: DevelopmentFixture.blob(cx: 0.5, cy: 0.5))])
            let worker = ScoringWorker(client: client, settings: .init(), logger: logger)
            try await worker.drainQueue()
            let scoring = ScoringRepository(client: client, logger: logger)
            let first = try #require(try await scoring.findLatestScore(runID: run.id))
            #expect(first.verdict == "error")
            #expect(first.errorCode == "no_regions")
            let regions = try RegionSet.parse(Array(#"{"regions": [{"label": "cup", "shapes": [{"type": "ellipse", "cx": 168, "cy": 112, "rx": 60, "ry": 50}]}]}"#.utf8))
            _ = try await RegionRepository(client: client, logger: logger)
                .createRegionVersion(imageID: bare.id, regions: regions, summary: "", createdBy: nil)
            try await worker.drainQueue()
            let second = try #require(try await scoring.findLatestScore(runID: run.id))
            #expect(second.verdict == "pass" || second.verdict == "fail")
            #expect(second.diagnosisJSON != nil)
        }
    }
}
