import Foundation
import Logging
import PostgresNIO

/// Computes review digests and records sign-offs (`sign_offs`).
///
/// Recording a sign-off runs in one transaction that first locks the prompt version row
/// (`SELECT … FOR NO KEY UPDATE`: two sign-offs of one version queue up, run uploads are not blocked), then reads
/// the whole digest input in a single statement (one consistent snapshot, so a region edit committing meanwhile is
/// either entirely in it or entirely after it — and then makes the sign-off stale), checks it against what the
/// reviewer saw, and inserts the sign-off with the next sequence number.
public struct SignOffRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// One statement: the digest input as JSON plus the number of open scoring jobs of the version's runs.
    static func snapshotQuery(_ promptVersionID: PromptVersion.ID) -> PostgresQuery {
        """
        SELECT p.project_id, jsonb_build_object(
            'format', 1,
            'prompt', jsonb_build_object('id', p.id, 'prompt_id', p.prompt_id, 'version', p.version, 'name', p.name,
                'text', p.text),
            'project_thresholds', jsonb_build_object('min_energy', pr.min_energy, 'min_coverage', pr.min_coverage,
                'max_energy', pr.max_energy, 'hot_threshold', pr.hot_threshold),
            'images', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'image_id', i.id, 'file_name', i.file_name, 'sha256', i.sha256,
                    'regions', (
                        SELECT jsonb_build_object('id', rv.id, 'version', rv.version) FROM region_versions rv
                        WHERE rv.image_id = i.id ORDER BY rv.version DESC LIMIT 1),
                    'run', (
                        SELECT jsonb_build_object('id', r.id, 'lineage_id', r.lineage_id, 'revision', r.revision,
                            'model_name', r.model_name,
                            'heatmaps', coalesce((
                                SELECT jsonb_agg(jsonb_build_object('label', h.label, 'sha256', h.sha256) ORDER BY h.label)
                                FROM run_heatmaps h WHERE h.run_id = r.id), '[]'::jsonb),
                            'score', (
                                SELECT jsonb_strip_nulls(jsonb_build_object('verdict', s.verdict,
                                    'engine_version', s.engine_version, 'regions_version_id', s.region_version_id,
                                    'thresholds', s.thresholds, 'error_code', s.error_code))
                                FROM run_scores s WHERE s.run_id = r.id ORDER BY s.scored_at DESC, s.id LIMIT 1))
                        FROM runs r WHERE r.prompt_version_id = p.id AND r.image_id = i.id
                        ORDER BY r.created_at DESC, r.revision DESC, r.id LIMIT 1)
                ) ORDER BY i.id)
                FROM images i WHERE i.project_id = p.project_id), '[]'::jsonb)
        )::text,
        (SELECT count(*) FROM scoring_jobs j JOIN runs r ON r.id = j.run_id
         WHERE r.prompt_version_id = p.id AND j.status IN ('pending', 'running'))
        FROM prompt_versions p JOIN projects pr ON pr.id = p.project_id WHERE p.id = \(promptVersionID)
        """
    }

    static func readSnapshot(_ rows: PostgresRowSequence) async throws -> ReviewSnapshot? {
        for try await (projectID, json, open) in rows.decode((Project.ID, String, Int64).self) {
            let input = try ReviewDigestInput.decodeJSON(json).canonicalized()
            return ReviewSnapshot(
                projectID: projectID, input: input, digest: try input.computeDigest(), openScoringJobs: Int(open))
        }
        return nil
    }

    /// The digest input and digest of a prompt version now (`nil` for an unknown version).
    public func fetchSnapshot(promptVersionID: PromptVersion.ID) async throws -> ReviewSnapshot? {
        let rows = try await client.query(Self.snapshotQuery(promptVersionID), logger: logger)
        return try await Self.readSnapshot(rows)
    }

    /// Records a sign-off (see the type's documentation); throws `SignOffRefusal` when runs are still being
    /// scored, when the data or the sign-off history changed since the reviewer's page, or when a required
    /// comment is missing; `StorageError.notFound` for an unknown prompt version.
    public func createSignOff(_ new: NewSignOff) async throws -> SignOff {
        let comment = new.comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard comment.count <= 10_000 else { throw StorageError.invalidValue("a comment has at most 10000 characters") }
        let id = SignOff.ID.generate()
        let logger = self.logger
        let reviewerName = String(new.reviewerName.prefix(200))
        let decision = new.decision.rawValue
        return try await DatabaseTransaction.run(client, actor: new.reviewerID, logger: logger) { connection in
            let locked = try await connection.query(
                "SELECT id FROM prompt_versions WHERE id = \(new.promptVersionID) FOR NO KEY UPDATE", logger: logger)
            guard try await locked.decode(PromptVersion.ID.self).first(where: { _ in true }) != nil else {
                throw StorageError.notFound("prompt version \(new.promptVersionID)")
            }
            let rows = try await connection.query(Self.snapshotQuery(new.promptVersionID), logger: logger)
            guard let snapshot = try await Self.readSnapshot(rows) else {
                throw StorageError.notFound("prompt version \(new.promptVersionID)")
            }
            if snapshot.openScoringJobs > 0 { throw SignOffRefusal.scoringInProgress(jobs: snapshot.openScoringJobs) }
            if let expected = new.expectedDigest, expected != snapshot.digest {
                throw SignOffRefusal.reviewChanged(expected: expected, current: snapshot.digest)
            }
            let sequenceRows = try await connection.query(
                "SELECT coalesce(max(sequence), 0) FROM sign_offs WHERE prompt_version_id = \(new.promptVersionID)",
                logger: logger)
            var latest = 0
            for try await value in sequenceRows.decode(Int32.self) { latest = Int(value) }
            if let expected = new.expectedSequence, expected != latest {
                throw SignOffRefusal.signOffChanged(expected: expected, current: latest)
            }
            let failing = snapshot.input.failingImages.count
            let override = new.decision == .approve && failing > 0
            if new.decision == .reject && comment.isEmpty {
                throw SignOffRefusal.commentRequired("A rejection needs a comment saying why.")
            }
            if override && comment.isEmpty {
                throw SignOffRefusal.commentRequired(
                    "\(failing) image(s) fail: approving anyway is an override and needs a comment saying why.")
            }
            let inputJSON = String(decoding: try snapshot.input.canonicalJSON(), as: UTF8.self)
            let sequence = Int32(latest + 1)
            let inserted = try await connection.query(
                """
                INSERT INTO sign_offs (id, project_id, prompt_version_id, sequence, reviewer_id, reviewer_name, decision,
                    comment, override, digest, digest_input)
                VALUES (\(id), \(snapshot.projectID), \(new.promptVersionID), \(sequence), \(new.reviewerID),
                    \(reviewerName), \(decision), \(comment), \(override), \(snapshot.digest), \(inputJSON)::jsonb)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            guard let signOff = try await Self.decodeSignOffs(inserted).first else {
                throw StorageError.notFound("sign-off \(id) after insert")
            }
            return signOff
        }
    }

    static let columns = """
        id, project_id, prompt_version_id, sequence, reviewer_id, reviewer_name, decision, comment, override, digest,
        digest_input::text, created_at
        """

    /// The sign-off with this id, if any.
    public func findSignOff(id: SignOff.ID) async throws -> SignOff? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM sign_offs WHERE id = \(id)", logger: logger)
        return try await Self.decodeSignOffs(rows).first
    }

    /// The latest sign-off of a prompt version, if any.
    public func findLatestSignOff(promptVersionID: PromptVersion.ID) async throws -> SignOff? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM sign_offs WHERE prompt_version_id = \(promptVersionID)
            ORDER BY sequence DESC LIMIT 1
            """, logger: logger)
        return try await Self.decodeSignOffs(rows).first
    }

    /// Every sign-off of a prompt version, newest first.
    public func listSignOffs(promptVersionID: PromptVersion.ID) async throws -> [SignOff] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM sign_offs WHERE prompt_version_id = \(promptVersionID)
            ORDER BY sequence DESC
            """, logger: logger)
        return try await Self.decodeSignOffs(rows)
    }

    /// Every sign-off of a project, newest first.
    public func listSignOffs(projectID: Project.ID) async throws -> [SignOff] {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM sign_offs WHERE project_id = \(projectID) ORDER BY created_at DESC",
            logger: logger)
        return try await Self.decodeSignOffs(rows)
    }

    /// The status of a prompt version now: pending without a sign-off; stale when the latest sign-off's digest
    /// differs from the current one (with what changed); otherwise approved or rejected. `nil` for an unknown
    /// version.
    public func evaluateStatus(promptVersionID: PromptVersion.ID) async throws -> SignOffState? {
        guard let snapshot = try await fetchSnapshot(promptVersionID: promptVersionID) else { return nil }
        let latest = try await findLatestSignOff(promptVersionID: promptVersionID)
        return Self.makeState(snapshot: snapshot, latest: latest)
    }

    /// Compares a snapshot with the latest sign-off.
    public static func makeState(snapshot: ReviewSnapshot, latest: SignOff?) -> SignOffState {
        guard let latest else {
            return SignOffState(
                status: .pending, latest: nil, currentDigest: snapshot.digest, currentInput: snapshot.input,
                changes: [], openScoringJobs: snapshot.openScoringJobs)
        }
        if latest.digest != snapshot.digest {
            var changes = DigestChange.listChanges(from: latest.digestInput, to: snapshot.input)
            if changes.isEmpty {
                changes = [DigestChange(kind: "digest", message: "The reviewed data changed (digest differs).")]
            }
            return SignOffState(
                status: .stale, latest: latest, currentDigest: snapshot.digest, currentInput: snapshot.input,
                changes: changes, openScoringJobs: snapshot.openScoringJobs)
        }
        return SignOffState(
            status: latest.decision == .approve ? .approved : .rejected, latest: latest,
            currentDigest: snapshot.digest, currentInput: snapshot.input, changes: [],
            openScoringJobs: snapshot.openScoringJobs)
    }

    static func decodeSignOffs(_ rows: PostgresRowSequence) async throws -> [SignOff] {
        var result: [SignOff] = []
        for try await row in rows {
            let (id, projectID, versionID, sequence, reviewerID, reviewerName, decision, comment, override, digest,
                 input, createdAt) = try row.decode(
                    (SignOff.ID, Project.ID, PromptVersion.ID, Int32, User.ID?, String, String, String, Bool, String,
                     String, Date).self)
            result.append(
                SignOff(
                    id: id, projectID: projectID, promptVersionID: versionID, sequence: Int(sequence),
                    reviewerID: reviewerID, reviewerName: reviewerName,
                    decision: SignOffDecision(rawValue: decision) ?? .reject, comment: comment, override: override,
                    digest: digest, digestInput: try ReviewDigestInput.decodeJSON(input), createdAt: createdAt))
        }
        return result
    }
}
