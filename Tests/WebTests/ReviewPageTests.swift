import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Storage
import Testing
import TestSupport
import Web

/// The review page, the sign-off form and its refusals, and the sign-off status shown in the UI.
@Suite("Review and sign-off pages")
struct ReviewPageTests {
    static func reviewURL(_ f: ReviewTestFixture, _ version: PromptVersion) -> String {
        "/projects/\(f.project.id)/prompt-versions/\(version.id)/review"
    }

    static func signOffURL(_ f: ReviewTestFixture, _ version: PromptVersion) -> String {
        "/projects/\(f.project.id)/prompt-versions/\(version.id)/signoffs"
    }

    /// The value of `<input type="hidden" name="NAME" value="…">` in `html`.
    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    @Test("the review page shows every image, verdicts, the summary and a failures filter; a reviewer approves")
    func reviewAndApprove() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let cat = try await f.addImage("cat.png")
            let dog = try await f.addImage("dog.png", shade: 90)
            let bird = try await f.addImage("bird.png", shade: 200)
            try await f.saveRegions(cat, avoid: "rug")
            try await f.saveRegions(dog)
            try await f.saveRegions(bird)
            let version = try await f.createPrompt()
            try await f.createRun(version, cat, good: true)
            try await f.createRun(version, dog, good: false)
            try await f.scoreAll()
            try await withReviewApp(f) { client in
                let reviewer = try await Browser.signedIn("reviewer", client: client)
                let page = try await reviewer.get(Self.reviewURL(f, version))
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(html.contains("cat.png") && html.contains("dog.png") && html.contains("bird.png"))
                #expect(html.contains("data-signoff-status=\"pending\""))
                #expect(html.contains(#"data-summary="without-run">1<"#), "bird has no run")
                #expect(html.contains(#"data-summary="verdicts">1 / 1 / 0<"#))
                #expect(html.contains(#"data-summary="pass-rate">50 %<"#))
                // The avoid region "rug" needs no heatmap of its own; no run failed to score, so no error box.
                #expect(html.contains(#"data-summary="regions-without-heatmap">0<"#))
                #expect(!html.contains("Regions without a heatmap:"))
                #expect(!html.contains("flash flash-error"))
                #expect(html.contains("/review/runs/"), "overlay panels")
                #expect(html.contains("A cat on a rug."))
                #expect(!html.contains("data-signoff-blocked"))

                let failures = String(buffer: try await reviewer.get(Self.reviewURL(f, version) + "?filter=failures").body)
                #expect(failures.contains("data-image-row=\"\(dog.id)\""))
                #expect(!failures.contains("data-image-row=\"\(cat.id)\""))
                #expect(!failures.contains("data-image-row=\"\(bird.id)\""))

                // A panel PNG renders through the engine.
                let runs = try await f.runs.listRuns(promptVersionID: version.id)
                let catRun = try #require(runs.first { $0.imageID == cat.id })
                let panel = try await reviewer.get(
                    "/projects/\(f.project.id)/review/runs/\(catRun.id)/panels/cat/overlay-jet-outlines.png")
                #expect(panel.status == .ok)
                #expect(panel.headers[.contentType] == "image/png")
                #expect(Array(panel.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])

                // Approving with a failing image needs a comment (override).
                let digest = try #require(Self.hiddenValue("digest", in: html))
                let refused = try await reviewer.post(
                    Self.signOffURL(f, version),
                    form: [("decision", "approve"), ("comment", ""), ("digest", digest), ("expected_sequence", "0")])
                #expect(refused.status == .badRequest)
                #expect(String(buffer: refused.body).contains("override"))
                let approved = try await reviewer.post(
                    Self.signOffURL(f, version),
                    form: [("decision", "approve"), ("comment", "dog.png is a known miss"), ("digest", digest),
                           ("expected_sequence", "0")])
                #expect(approved.status == .seeOther)
                let after = String(buffer: try await reviewer.get(Self.reviewURL(f, version)).body)
                #expect(after.contains("data-signoff-status=\"approved\""))
                #expect(after.contains("override of failing verdicts"))
                let state = try #require(try await f.signOffs.evaluateStatus(promptVersionID: version.id))
                #expect(state.status == .approved)
                #expect(state.latest?.override == true)
                #expect(state.latest?.digest == digest)

                // The same page again (old digest and sequence) is refused: someone already signed off.
                let again = try await reviewer.post(
                    Self.signOffURL(f, version),
                    form: [("decision", "reject"), ("comment", "no"), ("digest", digest), ("expected_sequence", "0")])
                #expect(again.status == .conflict)

                // A region edit turns it stale in the UI, with what changed.
                try await f.saveRegions(cat, x: 8)
                let stale = String(buffer: try await reviewer.get(Self.reviewURL(f, version)).body)
                #expect(stale.contains("data-signoff-status=\"stale\""))
                #expect(!stale.contains("data-signoff-status=\"approved\""))
                #expect(stale.contains("Regions of cat.png changed: v1 → v2."))
                let list = String(buffer: try await reviewer.get("/projects/\(f.project.id)/signoffs").body)
                #expect(list.contains("data-signoff-status=\"stale\""))
                // The prompt page shows it too: badge, stale status with what changed, a link to the review.
                let promptPage = String(
                    buffer: try await reviewer.get("/projects/\(f.project.id)/prompts/\(version.id)").body)
                #expect(promptPage.contains("data-signoff-status=\"stale\""))
                #expect(!promptPage.contains("data-signoff-status=\"approved\""))
                #expect(promptPage.contains("Regions of cat.png changed: v1 → v2."))
                #expect(promptPage.contains("prompt-versions/\(version.id)/signoff-status.svg"))
                #expect(promptPage.contains(Self.reviewURL(f, version)))
            }
        }
    }

    @Test("only reviewers and admins sign off; nobody can while runs are being scored")
    func roleRefusalsAndScoringBlock() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let (_, version, _) = try await f.makeScoredRun()
            try await withReviewApp(f) { client in
                let expected: [(String, HTTPResponse.Status)] = [
                    ("manager", .forbidden), ("engineer", .forbidden), ("outsider", .notFound),
                ]
                for (role, status) in expected {
                    let browser = try await Browser.signedIn(role, client: client)
                    let page = try await browser.get(Self.reviewURL(f, version))
                    #expect(page.status == (role == "outsider" ? .notFound : .ok), "\(role) review page")
                    if role != "outsider" {
                        #expect(String(buffer: page.body).contains("Only reviewers (and administrators) can sign off."))
                    }
                    let post = try await browser.post(
                        Self.signOffURL(f, version), form: [("decision", "approve"), ("comment", "lgtm")])
                    #expect(post.status == status, "\(role) signs off")
                }
                #expect(try await f.signOffs.listSignOffs(promptVersionID: version.id).isEmpty)

                // Scoring pending: the form is disabled and the handler refuses, even for an admin.
                // A job held by another worker (status running, fresh lease): the server's own worker leaves it alone.
                let runID = try #require(try await f.runs.listRuns(promptVersionID: version.id).first).id
                try await f.client.query(
                    """
                    INSERT INTO scoring_jobs (run_id, reason, status, attempts, locked_at, locked_by)
                    VALUES (\(runID), 'manual', 'running', 1, clock_timestamp(), 'held-by-test')
                    """, logger: f.logger)
                let admin = try await Browser.signedIn("admin", client: client)
                let blocked = String(buffer: try await admin.get(Self.reviewURL(f, version)).body)
                #expect(blocked.contains("data-signoff-blocked"))
                #expect(blocked.contains("<button type=\"submit\" class=\"button primary\" data-signoff-submit disabled>"))
                let refused = try await admin.post(
                    Self.signOffURL(f, version), form: [("decision", "approve"), ("comment", "lgtm")])
                #expect(refused.status == .conflict)
                #expect(String(buffer: refused.body).contains("still being scored"))
                try await f.client.query(
                    "UPDATE scoring_jobs SET status = 'done', finished_at = clock_timestamp() WHERE locked_by = 'held-by-test'",
                    logger: f.logger)
                let accepted = try await admin.post(
                    Self.signOffURL(f, version), form: [("decision", "reject"), ("comment", "not yet")])
                #expect(accepted.status == .seeOther)
                #expect(try await f.signOffs.evaluateStatus(promptVersionID: version.id)?.status == .rejected)

                // A rejection without a comment is refused.
                let reviewer = try await Browser.signedIn("reviewer", client: client)
                let empty = try await reviewer.post(Self.signOffURL(f, version), form: [("decision", "reject")])
                #expect(empty.status == .badRequest)
                // Without the CSRF token nothing happens.
                let forged = try await reviewer.post(
                    Self.signOffURL(f, version), form: [("decision", "approve"), ("comment", "x")], csrf: "")
                #expect(forged.status == .forbidden)
                #expect(try await f.signOffs.listSignOffs(promptVersionID: version.id).count == 1)
            }
        }
    }

    @Test("two reviewers submitting at once: one decision recorded, the other told to reload")
    func concurrentSignOffRequests() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let (_, version, _) = try await f.makeScoredRun()
            let hash = try await PasswordHasher(cost: 4).hashPassword(ReviewTestFixture.password)
            let second = try await UserRepository(client: f.client, logger: f.logger).createUser(
                email: "reviewer2@example.org", displayName: "Second", passwordHash: hash, isAdmin: false)
            try await f.projects.upsertMember(projectID: f.project.id, userID: second.id, role: .reviewer)
            try await withReviewApp(f) { client in
                let first = try await Browser.signedIn("reviewer", client: client)
                let other = try await Browser.signedIn("reviewer2", client: client)
                let digest = try #require(
                    Self.hiddenValue("digest", in: String(buffer: try await first.get(Self.reviewURL(f, version)).body)))
                _ = try await other.get(Self.reviewURL(f, version))
                async let a = first.post(
                    Self.signOffURL(f, version),
                    form: [("decision", "approve"), ("comment", ""), ("digest", digest), ("expected_sequence", "0")])
                async let b = other.post(
                    Self.signOffURL(f, version),
                    form: [("decision", "reject"), ("comment", "no"), ("digest", digest), ("expected_sequence", "0")])
                let statuses = try await [a.status, b.status]
                #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
                #expect(statuses.filter { $0 == .conflict }.count == 1, "\(statuses)")
                let recorded = try await f.signOffs.listSignOffs(promptVersionID: version.id)
                #expect(recorded.count == 1)
                #expect(recorded.first?.digest == digest)
            }
        }
    }
}
