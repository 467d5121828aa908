import Foundation
import Storage
import Testing
import TestSupport

/// Sign-offs bound to a digest of what was reviewed: status, staleness for each kind of change, refusals and
/// concurrency (against the real PostgreSQL of `scripts/test`).
@Suite("Sign-offs")
struct SignOffTests {
    /// One image with regions, one prompt version with a scored run.
    static func prepare(_ f: SignOffFixture, verdict: String = "pass") async throws
        -> (image: Storage.Image, version: PromptVersion, run: Run)
    {
        let image = try await f.addImage("cat.png")
        try await f.saveRegions(image)
        let version = try await f.prompts.createPrompt(
            projectID: f.project.id, name: "Describe", text: "Describe the image.", createdBy: f.engineer.id)
        let run = try await f.createRun(version, image)
        try await f.scoreAll(verdict: verdict)
        return (image, version, run)
    }

    @Test("pending, then approved; the digest is stable and covers prompt, regions, heatmaps, engine, thresholds")
    func approveAndDigest() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await SignOffFixture.make(schema)
            let (image, version, run) = try await Self.prepare(f)
            let before = try await f.status(version)
            #expect(before.status == .pending)
            #expect(before.latest == nil)
            let again = try await f.status(version)
            #expect(again.currentDigest == before.currentDigest, "same data, same digest")
            #expect(before.currentDigest.count == 64)

            let input = before.currentInput
            #expect(input.prompt.text == "Describe the image.")
            #expect(input.images.count == 1)
            let entry = try #require(input.images.first)
            #expect(entry.imageID == image.id.description)
            #expect(entry.regions?.version == 1)
            #expect(entry.run?.id == run.id.description)
            #expect(entry.run?.modelName == "llava-1.5")
            let heatmaps = try await f.runs.listHeatmaps(runID: run.id)
            #expect(entry.run?.heatmaps.map(\.sha256) == heatmaps.map(\.sha256))
            #expect(entry.run?.score?.engineVersion == "test-engine/1")
            #expect(entry.run?.score?.thresholds["min_coverage"] == 0.7)
            #expect(input.projectThresholds.minEnergy == 0.5)

            let signOff = try await f.signOff(version, .approve, expectedDigest: before.currentDigest, expectedSequence: 0)
            #expect(signOff.sequence == 1)
            #expect(signOff.digest == before.currentDigest)
            #expect(signOff.override == false)
            #expect(signOff.reviewerName == "Rita Reviewer")
            let after = try await f.status(version)
            #expect(after.status == .approved)
            #expect(after.changes.isEmpty)
            #expect(after.latest?.id == signOff.id)
            // The stored input reads back equal and hashes to the stored digest.
            let stored = try #require(try await f.signOffs.findSignOff(id: signOff.id))
            #expect(try stored.digestInput.computeDigest() == signOff.digest)
        }
    }

    @Test("a region edit makes the sign-off stale, with what changed")
    func staleAfterRegionEdit() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await SignOffFixture.make(schema)
            let (image, version, _) = try await Self.prepare(f)
            _ = try await f.signOff(version, .approve)
            try await f.saveRegions(image, x: 12)
            let stale = try await f.status(version)
            #expect(stale.status == .stale)
            #expect(stale.latest?.decision == .approve, "the decision is kept but not shown as approved")
            #expect(stale.changes.map(\.kind) == ["regions"])
            #expect(stale.changes.first?.message.contains("v1 → v2") == true)
            // Re-scoring does not make it fresh again: the digest still differs.
            try await f.scoreAll()
            let rescored = try await f.status(version)
            #expect(rescored.status == .stale)
            #expect(Set(rescored.changes.map(\.kind)) == ["regions"], "same thresholds, same verdict, same engine")
        }
    }

    @Test("a new run, a heatmap replacement, a model change and a threshold change each make it stale")
    func staleAfterRunHeatmapAndThresholdChanges() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await SignOffFixture.make(schema)
            let (image, version, run) = try await Self.prepare(f)

            // Heatmap replaced (a new run revision).
            _ = try await f.signOff(version, .approve)
            _ = try await f.runs.createRevision(
                of: run.id, heatmaps: [SignOffFixture.heatmap("cat", value: 0.9)], description: nil, modelName: nil,
                latencyMs: nil, source: .api, createdBy: f.engineer.id)
            try await f.scoreAll()
            let heatmap = try await f.status(version)
            #expect(heatmap.status == .stale)
            #expect(Set(heatmap.changes.map(\.kind)) == ["run", "heatmap"])
            #expect(heatmap.changes.contains { $0.message.contains("Heatmap 'cat' of cat.png was replaced") })

            // A new run with another model.
            _ = try await f.signOff(version, .approve)
            #expect(try await f.status(version).status == .approved)
            _ = try await f.createRun(version, image, model: "qwen-vl")
            try await f.scoreAll()
            let newRun = try await f.status(version)
            #expect(newRun.status == .stale)
            #expect(Set(newRun.changes.map(\.kind)) == ["run", "model", "heatmap"], "the new run's heatmap differs from the replaced one")

            // Thresholds: stale at once (before re-scoring) and after it.
            _ = try await f.signOff(version, .approve)
            #expect(try await f.status(version).status == .approved)
            try await f.projects.updateThresholds(
                projectID: f.project.id,
                thresholds: ProjectThresholds(minEnergy: 0.4, minCoverage: 0.7, maxEnergy: 0.1, hotThreshold: 0.5))
            let thresholds = try await f.status(version)
            #expect(thresholds.status == .stale)
            #expect(thresholds.changes.map(\.kind) == ["thresholds"])
            try await f.scoreAll()
            let rescored = try await f.status(version)
            #expect(rescored.status == .stale)
            #expect(Set(rescored.changes.map(\.kind)) == ["thresholds", "score_thresholds"])

            // A new image in the project changes the reviewed set.
            _ = try await f.signOff(version, .approve)
            _ = try await f.addImage("dog.png")
            let added = try await f.status(version)
            #expect(added.status == .stale)
            #expect(added.changes.map(\.kind) == ["image_added"])
        }
    }

    @Test("the prompt text edited in place and a changed engine version make it stale")
    func staleAfterPromptTextAndEngineChange() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await SignOffFixture.make(schema)
            let image = try await f.addImage("cat.png")
            try await f.saveRegions(image)
            // A version without runs is edited in place, so its text can change under a sign-off.
            let version = try await f.prompts.createPrompt(
                projectID: f.project.id, name: "Describe", text: "Describe the image.", createdBy: f.engineer.id)
            _ = try await f.signOff(version, .reject, comment: "No runs yet.")
            #expect(try await f.status(version).status == .rejected)
            let edited = try await f.prompts.editPrompt(
                versionID: version.id, name: "Describe", text: "Describe the cat.", editedBy: f.engineer.id)
            #expect(edited.id == version.id)
            let text = try await f.status(version)
            #expect(text.status == .stale)
            #expect(text.changes.map(\.kind) == ["prompt"])

            // Engine version: a score recorded by another engine.
            _ = try await f.createRun(version, image)
            try await f.scoreAll()
            _ = try await f.signOff(version, .approve)
            let runs = try await f.runs.listRuns(promptVersionID: version.id)
            try await f.scoring.enqueueScoring(runID: try #require(runs.first).id, reason: "manual")
            while let claim = try await f.scoring.claimJob(workerID: "engine-2", lease: .seconds(60)) {
                let snapshot = try await f.scoring.fetchScoringSnapshot(runID: claim.runID)
                try await f.scoring.completeJob(
                    claim,
                    score: NewRunScore(
                        verdict: "pass", diagnosisJSON: "{}", errorCode: nil, errorMessage: nil,
                        engineVersion: "test-engine/2", regionVersionID: snapshot?.regionVersion?.id,
                        thresholdsJSON: #"{"min_energy": 0.5, "min_coverage": 0.7, "max_energy": 0.1, "hot_threshold": 0.5, "pointing_tolerance": 15}"#))
            }
            let engine = try await f.status(version)
            #expect(engine.status == .stale)
            #expect(engine.changes.map(\.kind) == ["engine_version"])
        }
    }

    @Test("refusals: scoring in progress, missing comments, changed data, a newer sign-off")
    func refusals() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await SignOffFixture.make(schema)
            let image = try await f.addImage("cat.png")
            try await f.saveRegions(image)
            let version = try await f.prompts.createPrompt(
                projectID: f.project.id, name: "Describe", text: "Describe the image.", createdBy: f.engineer.id)
            _ = try await f.createRun(version, image)
            await #expect(throws: SignOffRefusal.scoringInProgress(jobs: 1)) {
                _ = try await f.signOff(version, .approve)
            }
            try await f.scoreAll(verdict: "fail")
            await #expect(throws: SignOffRefusal.self) { _ = try await f.signOff(version, .reject) }
            await #expect(throws: SignOffRefusal.self) { _ = try await f.signOff(version, .approve, comment: "  ") }
            let digest = try await f.status(version).currentDigest
            await #expect(throws: SignOffRefusal.reviewChanged(expected: String(repeating: "0", count: 64), current: digest)) {
                _ = try await f.signOff(version, .approve, comment: "ok", expectedDigest: String(repeating: "0", count: 64))
            }
            let override = try await f.signOff(version, .approve, comment: "Known miss, accepted.", expectedSequence: 0)
            #expect(override.override)
            #expect(try await f.status(version).status == .approved)
            await #expect(throws: SignOffRefusal.signOffChanged(expected: 0, current: 1)) {
                _ = try await f.signOff(version, .reject, comment: "no", expectedSequence: 0)
            }
            // Nothing refused was recorded.
            #expect(try await f.signOffs.listSignOffs(promptVersionID: version.id).count == 1)
            await #expect(throws: StorageError.self) {
                _ = try await f.signOffs.createSignOff(
                    NewSignOff(
                        promptVersionID: PromptVersion.ID.generate(), reviewerID: f.reviewer.id, reviewerName: "x",
                        decision: .approve, comment: "", expectedDigest: nil, expectedSequence: nil))
            }
        }
    }

    @Test("two reviewers at once: exactly one decision is recorded, with the digest it saw")
    func concurrentReviewers() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await SignOffFixture.make(schema)
            let (_, version, _) = try await Self.prepare(f)
            let digest = try await f.status(version).currentDigest
            // Several separately pooled clients, like several server processes.
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await schema.withClient { client in
                            let repository = SignOffRepository(client: client, logger: f.logger)
                            do {
                                let signOff = try await repository.createSignOff(
                                    NewSignOff(
                                        promptVersionID: version.id, reviewerID: f.reviewer.id,
                                        reviewerName: "reviewer \(index)", decision: index % 2 == 0 ? .approve : .reject,
                                        comment: "decision \(index)", expectedDigest: digest, expectedSequence: 0))
                                return "recorded \(signOff.sequence)"
                            } catch let refusal as SignOffRefusal {
                                if case .signOffChanged(0, 1) = refusal { return "refused" }
                                return "unexpected \(refusal)"
                            }
                        }
                    }
                }
                var all: [String] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 == "recorded 1" }.count == 1, "\(outcomes)")
            #expect(outcomes.filter { $0 == "refused" }.count == 5, "\(outcomes)")
            let recorded = try await f.signOffs.listSignOffs(promptVersionID: version.id)
            #expect(recorded.count == 1)
            #expect(recorded.first?.digest == digest)
            #expect(try await f.status(version).status != .stale)
        }
    }

    @Test("a region edit racing a sign-off leaves a consistent state")
    func regionEditRacingSignOff() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await SignOffFixture.make(schema)
            let (image, version, _) = try await Self.prepare(f)
            for round in 0..<8 {
                if round > 0 {
                    try await f.scoreAll()
                }
                let before = try await f.status(version)
                async let edit: RegionVersion = schema.withClient { client in
                    try await RegionRepository(client: client, logger: f.logger).createRegionVersion(
                        imageID: image.id, regions: try RegionSetFactory.rectangle(x: 6 + round),
                        summary: "race \(round)", createdBy: f.manager.id)
                }
                async let signed: SignOff? = schema.withClient { client in
                    do {
                        return try await SignOffRepository(client: client, logger: f.logger).createSignOff(
                            NewSignOff(
                                promptVersionID: version.id, reviewerID: f.reviewer.id, reviewerName: "r",
                                decision: .approve, comment: "", expectedDigest: before.currentDigest,
                                expectedSequence: before.latest?.sequence ?? 0))
                    } catch is SignOffRefusal {
                        return nil
                    }
                }
                let (newRegions, signOff) = try await (edit, signed)
                let state = try await f.status(version)
                if let signOff {
                    // Recorded before the edit: it saw the old regions, so it is stale now, naming the regions.
                    let seen = signOff.digestInput.images.first?.regions?.version
                    #expect(seen == newRegions.version - 1, "round \(round)")
                    #expect(state.status == .stale, "round \(round)")
                    #expect(state.changes.contains { $0.kind == "regions" }, "round \(round)")
                    #expect(state.latest?.id == signOff.id)
                } else {
                    // Refused: the edit landed first (re-scoring pending or digest changed); nothing recorded.
                    #expect(state.latest?.sequence == before.latest?.sequence, "round \(round)")
                    #expect(state.status != .approved, "round \(round)")
                }
            }
        }
    }
}
