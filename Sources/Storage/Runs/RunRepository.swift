import Engine
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Reads and writes `runs` and `run_heatmaps`; creating a run (or a revision) also enqueues its scoring job in
/// the same transaction, so no stored run is ever left unscored.
public struct RunRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let selectColumns = """
        SELECT r.id, r.project_id, r.prompt_version_id, r.image_id, r.lineage_id, r.revision, r.model_name,
            r.description, r.latency_ms, r.source, r.created_by, u.display_name, r.created_at
        FROM runs r LEFT JOIN users u ON u.id = r.created_by
        """

    /// Checks the run's fields and heatmap labels (non-empty, unique case-insensitively after trimming).
    static func validate(_ new: NewRun, heatmaps: [NewHeatmap], requireHeatmaps: Bool) throws -> NewRun {
        var new = new
        new.modelName = new.modelName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard new.modelName.count <= 200 else { throw StorageError.invalidValue("a model name has at most 200 characters") }
        if let description = new.description, description.count > 100_000 {
            throw StorageError.invalidValue("a description has at most 100000 characters")
        }
        if let latency = new.latencyMs, latency < 0 || latency > Int(Int32.max) {
            throw StorageError.invalidValue("latency_ms must be a non-negative number of milliseconds")
        }
        if requireHeatmaps && heatmaps.isEmpty { throw StorageError.invalidValue("a run needs at least one heatmap") }
        var keys = Set<String>()
        for heatmap in heatmaps {
            let label = heatmap.label.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !label.isEmpty, label.count <= 200 else {
                throw StorageError.invalidValue("a heatmap keyword needs 1 to 200 characters")
            }
            guard keys.insert(label.lowercased()).inserted else {
                throw StorageError.invalidValue("keyword '\(label)' is given twice")
            }
            guard heatmap.map.width > 0, heatmap.map.height > 0,
                heatmap.map.values.count == heatmap.map.width * heatmap.map.height
            else { throw StorageError.invalidValue("heatmap '\(label)' has an inconsistent shape") }
        }
        return new
    }

    /// Stores a new run (revision 1) with its heatmaps and enqueues its scoring. The prompt version and the image
    /// must belong to `new.projectID` (`StorageError.notFound` otherwise).
    public func createRun(_ new: NewRun, heatmaps: [NewHeatmap]) async throws -> Run {
        let new = try Self.validate(new, heatmaps: heatmaps, requireHeatmaps: true)
        let id = Run.ID.generate()
        let logger = self.logger
        try await DatabaseTransaction.run(client, logger: logger) { connection in
            try await Self.checkOwnership(
                connection, projectID: new.projectID, promptVersionID: new.promptVersionID, imageID: new.imageID,
                logger: logger)
            try await Self.insertRun(new, id: id, heatmaps: heatmaps, on: connection, logger: logger)
        }
        guard let run = try await findRun(id: id) else { throw StorageError.notFound("run \(id) after insert") }
        return run
    }

    /// Inserts run `id` (revision 1 of its own lineage) with its heatmaps and enqueues its scoring, inside the
    /// caller's transaction. For callers that store a run together with other changes (the built-in Grad-CAM queue
    /// marks its job done in the same transaction); the caller has checked that the prompt version and the image
    /// belong to `new.projectID`.
    public static func insertRun(
        _ new: NewRun, id: Run.ID, heatmaps: [NewHeatmap], on connection: PostgresConnection, logger: Logger
    ) async throws {
        let latency = new.latencyMs.map { Int32(clamping: $0) }
        let source = new.source.rawValue
        try await connection.query(
            """
            INSERT INTO runs (id, project_id, prompt_version_id, image_id, lineage_id, revision, model_name,
                description, latency_ms, source, created_by)
            VALUES (\(id), \(new.projectID), \(new.promptVersionID), \(new.imageID), \(id), 1, \(new.modelName),
                \(new.description), \(latency), \(source), \(new.createdBy))
            """, logger: logger)
        try await insertHeatmaps(connection, runID: id, heatmaps: heatmaps, firstPosition: 0, logger: logger)
        try await ScoringRepository.enqueueScoring(connection, runID: id, reason: "created", logger: logger)
    }

    /// Stores the next revision of the run lineage of `runID`: the given heatmaps replace those with the same
    /// keyword, the others are copied from the latest revision; `description`, `modelName` and `latencyMs` replace
    /// the old values when given. Enqueues the new revision's scoring.
    public func createRevision(
        of runID: Run.ID, heatmaps: [NewHeatmap], description: String?, modelName: String?, latencyMs: Int?,
        source: RunSource, createdBy: User.ID?
    ) async throws -> Run {
        guard let base = try await findRun(id: runID) else { throw StorageError.notFound("run \(runID)") }
        let merged = NewRun(
            projectID: base.projectID, promptVersionID: base.promptVersionID, imageID: base.imageID,
            modelName: modelName ?? base.modelName, description: description ?? base.description,
            latencyMs: latencyMs ?? base.latencyMs, source: source, createdBy: createdBy)
        let new = try Self.validate(merged, heatmaps: heatmaps, requireHeatmaps: false)
        let id = Run.ID.generate()
        let logger = self.logger
        let latency = new.latencyMs.map { Int32($0) }
        let sourceName = new.source.rawValue
        let lineage = base.lineageID
        let replaced = heatmaps.map { $0.label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        try await DatabaseTransaction.run(client, logger: logger) { connection in
            // Lock the lineage's first revision so that concurrent revisions get consecutive numbers.
            try await connection.query("SELECT id FROM runs WHERE id = \(lineage) FOR UPDATE", logger: logger)
            let latestRows = try await connection.query(
                "SELECT id FROM runs WHERE lineage_id = \(lineage) ORDER BY revision DESC LIMIT 1", logger: logger)
            var latest = runID
            for try await value in latestRows.decode(Run.ID.self) { latest = value }
            try await connection.query(
                """
                INSERT INTO runs (id, project_id, prompt_version_id, image_id, lineage_id, revision, model_name,
                    description, latency_ms, source, created_by)
                SELECT \(id), \(new.projectID), \(new.promptVersionID), \(new.imageID), \(lineage), max(revision) + 1,
                    \(new.modelName), \(new.description), \(latency), \(sourceName), \(new.createdBy)
                FROM runs WHERE lineage_id = \(lineage)
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO run_heatmaps (run_id, label, width, height, data, sha256, source, file_name, position)
                SELECT \(id), label, width, height, data, sha256, source, file_name, position FROM run_heatmaps
                WHERE run_id = \(latest) AND NOT (lower(label) = ANY(\(replaced)))
                """, logger: logger)
            try await Self.insertHeatmaps(connection, runID: id, heatmaps: heatmaps, firstPosition: 1000, logger: logger)
            try await ScoringRepository.enqueueScoring(connection, runID: id, reason: "revision", logger: logger)
        }
        guard let run = try await findRun(id: id) else { throw StorageError.notFound("run \(id) after insert") }
        return run
    }

    static func checkOwnership(
        _ connection: PostgresConnection, projectID: Project.ID, promptVersionID: PromptVersion.ID, imageID: Image.ID,
        logger: Logger
    ) async throws {
        let prompt = try await connection.query(
            "SELECT id FROM prompt_versions WHERE id = \(promptVersionID) AND project_id = \(projectID)",
            logger: logger)
        guard try await prompt.decode(PromptVersion.ID.self).first(where: { _ in true }) != nil else {
            throw StorageError.notFound("prompt version \(promptVersionID)")
        }
        let image = try await connection.query(
            "SELECT id FROM images WHERE id = \(imageID) AND project_id = \(projectID)", logger: logger)
        guard try await image.decode(Image.ID.self).first(where: { _ in true }) != nil else {
            throw StorageError.notFound("image \(imageID)")
        }
    }

    static func insertHeatmaps(
        _ connection: PostgresConnection, runID: Run.ID, heatmaps: [NewHeatmap], firstPosition: Int, logger: Logger
    ) async throws {
        for (index, heatmap) in heatmaps.enumerated() {
            let data = HeatmapEncoding.encodeValues(heatmap.map)
            let sha = HeatmapEncoding.computeSHA256(data)
            let label = heatmap.label.trimmingCharacters(in: .whitespacesAndNewlines)
            let width = Int32(heatmap.map.width), height = Int32(heatmap.map.height)
            let source = heatmap.source.rawValue
            let fileName = String(heatmap.fileName.prefix(500))
            let position = Int32(firstPosition + index)
            try await connection.query(
                """
                INSERT INTO run_heatmaps (run_id, label, width, height, data, sha256, source, file_name, position)
                VALUES (\(runID), \(label), \(width), \(height), \(data), \(sha), \(source), \(fileName), \(position))
                """, logger: logger)
        }
    }

    /// The run revision with this id, if any.
    public func findRun(id: Run.ID) async throws -> Run? {
        let rows = try await client.query("\(unescaped: Self.selectColumns) WHERE r.id = \(id)", logger: logger)
        return try await Self.decodeRuns(rows).first
    }

    /// Every run revision of an image, newest first.
    public func listRuns(imageID: Image.ID) async throws -> [Run] {
        let rows = try await client.query(
            "\(unescaped: Self.selectColumns) WHERE r.image_id = \(imageID) ORDER BY r.created_at DESC, r.revision DESC",
            logger: logger)
        return try await Self.decodeRuns(rows)
    }

    /// Every run revision of a prompt version, newest first.
    public func listRuns(promptVersionID: PromptVersion.ID) async throws -> [Run] {
        let rows = try await client.query(
            """
            \(unescaped: Self.selectColumns) WHERE r.prompt_version_id = \(promptVersionID)
            ORDER BY r.created_at DESC, r.revision DESC
            """, logger: logger)
        return try await Self.decodeRuns(rows)
    }

    /// Every run revision of a project, newest first.
    public func listRuns(projectID: Project.ID) async throws -> [Run] {
        let rows = try await client.query(
            "\(unescaped: Self.selectColumns) WHERE r.project_id = \(projectID) ORDER BY r.created_at DESC, r.revision DESC",
            logger: logger)
        return try await Self.decodeRuns(rows)
    }

    /// Every revision of a run lineage, newest first.
    public func listRevisions(lineageID: Run.ID) async throws -> [Run] {
        let rows = try await client.query(
            "\(unescaped: Self.selectColumns) WHERE r.lineage_id = \(lineageID) ORDER BY r.revision DESC",
            logger: logger)
        return try await Self.decodeRuns(rows)
    }

    /// The heatmaps of a run (metadata), in upload order.
    public func listHeatmaps(runID: Run.ID) async throws -> [RunHeatmap] {
        let rows = try await client.query(
            """
            SELECT run_id, label, width, height, sha256, source, file_name FROM run_heatmaps
            WHERE run_id = \(runID) ORDER BY position, label
            """, logger: logger)
        var heatmaps: [RunHeatmap] = []
        for try await (runID, label, width, height, sha, source, fileName) in rows.decode(
            (Run.ID, String, Int32, Int32, String, String, String).self)
        {
            heatmaps.append(
                RunHeatmap(
                    runID: runID, label: label, width: Int(width), height: Int(height), sha256: sha,
                    source: HeatmapSource(rawValue: source) ?? .upload, fileName: fileName))
        }
        return heatmaps
    }

    /// The heatmaps of a run with their values, in upload order.
    public func fetchHeatmaps(runID: Run.ID) async throws -> [(heatmap: RunHeatmap, map: FloatMap)] {
        let rows = try await client.query(
            """
            SELECT run_id, label, width, height, sha256, source, file_name, data FROM run_heatmaps
            WHERE run_id = \(runID) ORDER BY position, label
            """, logger: logger)
        var result: [(heatmap: RunHeatmap, map: FloatMap)] = []
        for try await (runID, label, width, height, sha, source, fileName, data) in rows.decode(
            (Run.ID, String, Int32, Int32, String, String, String, ByteBuffer).self)
        {
            let heatmap = RunHeatmap(
                runID: runID, label: label, width: Int(width), height: Int(height), sha256: sha,
                source: HeatmapSource(rawValue: source) ?? .upload, fileName: fileName)
            result.append((heatmap, try HeatmapEncoding.decodeValues(data, width: Int(width), height: Int(height))))
        }
        return result
    }

    static func decodeRuns(_ rows: PostgresRowSequence) async throws -> [Run] {
        var runs: [Run] = []
        for try await row in rows {
            let (id, projectID, promptID, imageID, lineage, revision, model, description, latency, source, by, byName, at) =
                try row.decode(
                    (Run.ID, Project.ID, PromptVersion.ID, Image.ID, Run.ID, Int32, String, String?, Int32?, String,
                     User.ID?, String?, Date).self)
            runs.append(
                Run(
                    id: id, projectID: projectID, promptVersionID: promptID, imageID: imageID, lineageID: lineage,
                    revision: Int(revision), modelName: model, description: description, latencyMs: latency.map(Int.init),
                    source: RunSource(rawValue: source) ?? .api, createdBy: by, createdByName: byName, createdAt: at))
        }
        return runs
    }
}
