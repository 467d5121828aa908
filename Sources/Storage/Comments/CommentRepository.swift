import Foundation
import Logging
import PostgresNIO

/// Reads and writes `review_comments` and `review_comment_replies`. Writes set the transaction's
/// `sightline.actor`, so the audit trigger records who did it.
public struct CommentRepository: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static func validateBody(_ body: String) throws -> String {
        let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= 10_000 else {
            throw StorageError.invalidValue("a comment needs 1 to 10000 characters")
        }
        return body
    }

    /// Pins a comment on the image of `new.runID` (which must belong to `new.projectID`). The position must lie
    /// inside the image (a box entirely); `StorageError.invalidValue` otherwise.
    public func createComment(_ new: NewReviewComment) async throws -> ReviewComment {
        let body = try Self.validateBody(new.body)
        let label = String(new.label.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        let values = [new.x, new.y, new.width, new.height]
        guard values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw StorageError.invalidValue("the position must be non-negative numbers")
        }
        let (width, height) = new.shape == .point ? (0.0, 0.0) : (new.width, new.height)
        if new.shape == .box && (width <= 0 || height <= 0) {
            throw StorageError.invalidValue("a box needs a width and a height")
        }
        let id = ReviewComment.ID.generate()
        let shape = new.shape.rawValue
        let logger = self.logger
        try await DatabaseTransaction.run(client, actor: new.createdBy, logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT r.prompt_version_id, r.image_id, i.width, i.height FROM runs r JOIN images i ON i.id = r.image_id
                WHERE r.id = \(new.runID) AND r.project_id = \(new.projectID)
                """, logger: logger)
            var found: (PromptVersion.ID, Image.ID, Int32, Int32)?
            for try await row in rows.decode((PromptVersion.ID, Image.ID, Int32, Int32).self) { found = row }
            guard let (versionID, imageID, imageWidth, imageHeight) = found else {
                throw StorageError.notFound("run \(new.runID)")
            }
            guard new.x + width <= Double(imageWidth), new.y + height <= Double(imageHeight) else {
                throw StorageError.invalidValue(
                    "the position lies outside the image (\(imageWidth)×\(imageHeight) pixels)")
            }
            try await connection.query(
                """
                INSERT INTO review_comments (id, project_id, prompt_version_id, run_id, image_id, label, shape, x, y,
                    width, height, body, created_by)
                VALUES (\(id), \(new.projectID), \(versionID), \(new.runID), \(imageID), \(label), \(shape), \(new.x),
                    \(new.y), \(width), \(height), \(body), \(new.createdBy))
                """, logger: logger)
        }
        guard let comment = try await findComment(id: id) else {
            throw StorageError.notFound("comment \(id) after insert")
        }
        return comment
    }

    /// Adds a reply to a comment of `projectID`.
    public func createReply(commentID: ReviewComment.ID, projectID: Project.ID, body: String, createdBy: User.ID)
        async throws -> CommentReply
    {
        let body = try Self.validateBody(body)
        let id = CommentReply.ID.generate()
        let logger = self.logger
        return try await DatabaseTransaction.run(client, actor: createdBy, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO review_comment_replies (id, comment_id, project_id, body, created_by)
                SELECT \(id), c.id, c.project_id, \(body), \(createdBy) FROM review_comments c
                WHERE c.id = \(commentID) AND c.project_id = \(projectID)
                RETURNING created_at
                """, logger: logger)
            for try await createdAt in rows.decode(Date.self) {
                return CommentReply(
                    id: id, commentID: commentID, body: body, createdBy: createdBy, createdByName: nil,
                    createdAt: createdAt)
            }
            throw StorageError.notFound("comment \(commentID)")
        }
    }

    /// Resolves or reopens a comment of `projectID`. With `expectedRowVersion`, refuses (`StorageError.duplicate`
    /// is not used: returns `false`) when someone changed it since; `true` when the status is now `status`.
    @discardableResult
    public func updateStatus(
        commentID: ReviewComment.ID, projectID: Project.ID, status: CommentStatus, changedBy: User.ID,
        expectedRowVersion: Int? = nil
    ) async throws -> Bool {
        let logger = self.logger
        let statusName = status.rawValue
        let expected = expectedRowVersion.map { Int32($0) }
        return try await DatabaseTransaction.run(client, actor: changedBy, logger: logger) { connection in
            let current = try await connection.query(
                """
                SELECT status, row_version FROM review_comments
                WHERE id = \(commentID) AND project_id = \(projectID) FOR UPDATE
                """, logger: logger)
            var found: (String, Int32)?
            for try await row in current.decode((String, Int32).self) { found = row }
            guard let (oldStatus, version) = found else { throw StorageError.notFound("comment \(commentID)") }
            if oldStatus == statusName { return true }
            if let expected, expected != version { return false }
            try await connection.query(
                """
                UPDATE review_comments SET status = \(statusName), status_changed_by = \(changedBy),
                    status_changed_at = clock_timestamp(), row_version = row_version + 1
                WHERE id = \(commentID)
                """, logger: logger)
            return true
        }
    }

    static let selectColumns = """
        SELECT c.id, c.project_id, c.prompt_version_id, c.run_id, c.image_id, c.label, c.shape, c.x, c.y, c.width,
            c.height, c.body, c.status, c.created_by, u.display_name, c.created_at, s.display_name,
            c.status_changed_at, c.row_version
        FROM review_comments c LEFT JOIN users u ON u.id = c.created_by LEFT JOIN users s ON s.id = c.status_changed_by
        """

    /// One comment with its replies.
    public func findComment(id: ReviewComment.ID) async throws -> ReviewComment? {
        let rows = try await client.query("\(unescaped: Self.selectColumns) WHERE c.id = \(id)", logger: logger)
        return try await attachReplies(try await Self.decodeComments(rows)).first
    }

    /// The comments of a prompt version (all runs), oldest first, with replies; `status` filters.
    public func listComments(promptVersionID: PromptVersion.ID, status: CommentStatus? = nil) async throws
        -> [ReviewComment]
    {
        let rows: PostgresRowSequence
        if let status {
            rows = try await client.query(
                """
                \(unescaped: Self.selectColumns) WHERE c.prompt_version_id = \(promptVersionID)
                AND c.status = \(status.rawValue) ORDER BY c.created_at, c.id
                """, logger: logger)
        } else {
            rows = try await client.query(
                """
                \(unescaped: Self.selectColumns) WHERE c.prompt_version_id = \(promptVersionID)
                ORDER BY c.created_at, c.id
                """, logger: logger)
        }
        return try await attachReplies(try await Self.decodeComments(rows))
    }

    /// The comments pinned on one run's image, oldest first, with replies.
    public func listComments(runID: Run.ID) async throws -> [ReviewComment] {
        let rows = try await client.query(
            "\(unescaped: Self.selectColumns) WHERE c.run_id = \(runID) ORDER BY c.created_at, c.id", logger: logger)
        return try await attachReplies(try await Self.decodeComments(rows))
    }

    func attachReplies(_ comments: [ReviewComment]) async throws -> [ReviewComment] {
        guard !comments.isEmpty else { return comments }
        let ids = comments.map(\.id.rawValue)
        let rows = try await client.query(
            """
            SELECT r.id, r.comment_id, r.body, r.created_by, u.display_name, r.created_at
            FROM review_comment_replies r LEFT JOIN users u ON u.id = r.created_by
            WHERE r.comment_id = ANY(\(ids)) ORDER BY r.created_at, r.id
            """, logger: logger)
        var byComment: [ReviewComment.ID: [CommentReply]] = [:]
        for try await (id, commentID, body, by, name, at) in rows.decode(
            (CommentReply.ID, ReviewComment.ID, String, User.ID?, String?, Date).self)
        {
            byComment[commentID, default: []].append(
                CommentReply(id: id, commentID: commentID, body: body, createdBy: by, createdByName: name, createdAt: at))
        }
        return comments.map { comment in
            var comment = comment
            comment.replies = byComment[comment.id] ?? []
            return comment
        }
    }

    static func decodeComments(_ rows: PostgresRowSequence) async throws -> [ReviewComment] {
        var result: [ReviewComment] = []
        for try await row in rows {
            let (id, projectID, versionID, runID, imageID, label, shape, x, y, width, height, body, status, by, byName,
                 at, changedByName, changedAt, rowVersion) = try row.decode(
                    (ReviewComment.ID, Project.ID, PromptVersion.ID, Run.ID, Image.ID, String, String, Double, Double,
                     Double, Double, String, String, User.ID?, String?, Date, String?, Date?, Int32).self)
            result.append(
                ReviewComment(
                    id: id, projectID: projectID, promptVersionID: versionID, runID: runID, imageID: imageID,
                    label: label, shape: CommentShape(rawValue: shape) ?? .point, x: x, y: y, width: width,
                    height: height, body: body, status: CommentStatus(rawValue: status) ?? .open, createdBy: by,
                    createdByName: byName, createdAt: at, statusChangedByName: changedByName,
                    statusChangedAt: changedAt, rowVersion: Int(rowVersion), replies: []))
        }
        return result
    }
}
