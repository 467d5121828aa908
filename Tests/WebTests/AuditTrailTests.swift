import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Storage
import Testing
import TestSupport
import Web

/// The audit trail of a full workflow (manager annotates, engineer uploads a run, re-score, reviewer signs off,
/// comments), the audit page's filters, the CSV export, and append-only enforcement.
@Suite("Audit log")
struct AuditTrailTests {
    @Test("a full workflow is recorded with actors, and the page filters and exports it")
    func fullWorkflow() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let manager = try f.user("manager"), engineer = try f.user("engineer"), reviewer = try f.user("reviewer")
            let (cat, version, run) = try await f.makeScoredRun()
            try await f.projects.updateThresholds(
                projectID: f.project.id,
                thresholds: ProjectThresholds(minEnergy: 0.45, minCoverage: 0.6, maxEnergy: 0.1, hotThreshold: 0.5))
            try await f.scoreAll()
            try await f.saveRegions(cat, x: 6)
            try await f.scoreAll()
            let (token, _) = try await f.tokens.createToken(projectID: f.project.id, userID: engineer.id, name: "CI")
            try await f.tokens.revokeToken(id: token.id, projectID: f.project.id, userID: engineer.id)

            try await withReviewApp(f) { client in
                let browser = try await Browser.signedIn("reviewer", client: client)
                let review = "/projects/\(f.project.id)/prompt-versions/\(version.id)/review"
                let pin = try await browser.post(
                    "/projects/\(f.project.id)/runs/\(run.id)/comments",
                    form: [("shape", "point"), ("x", "12"), ("y", "9"), ("body", "Heat misses the ear"),
                           ("return_to", review)])
                #expect(pin.status == .seeOther)
                let signed = try await browser.post(
                    "/projects/\(f.project.id)/prompt-versions/\(version.id)/signoffs",
                    form: [("decision", "approve"), ("comment", "fine")])
                #expect(signed.status == .seeOther)

                let entries = try await f.audit.listEntries(projectID: f.project.id)
                let kinds = Set(entries.map(\.kind))
                for kind in [
                    "project.created", "member.added", "image.uploaded", "regions.saved", "prompt.created",
                    "run.created", "run.scored", "thresholds.changed", "run.rescore_queued", "token.created",
                    "token.revoked", "comment.created", "signoff.approved",
                ] {
                    #expect(kinds.contains(kind), "missing \(kind) in \(kinds.sorted())")
                }
                func actor(_ kind: String) -> User.ID? { entries.first { $0.kind == kind }?.actorID }
                #expect(actor("image.uploaded") == manager.id)
                #expect(actor("regions.saved") == manager.id)
                #expect(actor("prompt.created") == engineer.id)
                #expect(actor("run.created") == engineer.id)
                #expect(actor("token.revoked") == engineer.id)
                #expect(actor("comment.created") == reviewer.id)
                #expect(actor("signoff.approved") == reviewer.id)
                #expect(entries.first { $0.kind == "signoff.approved" }?.actorName == "Reviewer")
                #expect(entries.filter { $0.kind == "regions.saved" }.count == 2)
                #expect(entries.contains { $0.kind == "thresholds.changed" && $0.summary.contains("0.5 → 0.45") })

                // The page, filtered by actor and kind; the CSV export with the same filter.
                let page = try await browser.get("/projects/\(f.project.id)/audit")
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(html.contains("signoff.approved") && html.contains("regions.saved"))
                let filtered = String(
                    buffer: try await browser.get("/projects/\(f.project.id)/audit?actor=\(manager.id)&kind=regions.saved").body)
                #expect(filtered.contains("data-audit-kind=\"regions.saved\""))
                #expect(!filtered.contains("data-audit-kind=\"signoff.approved\""))
                let today = AuditController_dayString(Date())
                let dated = String(buffer: try await browser.get("/projects/\(f.project.id)/audit?from=\(today)&to=\(today)").body)
                #expect(dated.contains("data-audit-kind=\"signoff.approved\""))
                let past = String(buffer: try await browser.get("/projects/\(f.project.id)/audit?to=2001-01-01").body)
                #expect(!past.contains("data-audit-kind="))
                let bad = try await browser.get("/projects/\(f.project.id)/audit?from=yesterday")
                #expect(bad.status == .badRequest)

                let csv = try await browser.get("/projects/\(f.project.id)/audit.csv?kind=signoff.approved")
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = String(buffer: csv.body).split(separator: "\r\n")
                #expect(lines.first == "id,time_utc,actor_id,actor,kind,summary,subject_table,subject_id,details")
                #expect(lines.count == 2)
                #expect(lines.last?.contains("signoff.approved") == true)
                #expect(lines.last?.contains(reviewer.id.description) == true)

                // Outsiders see nothing.
                let outsider = try await Browser.signedIn("outsider", client: client)
                #expect(try await outsider.get("/projects/\(f.project.id)/audit").status == .notFound)
                #expect(try await outsider.get("/projects/\(f.project.id)/audit.csv").status == .notFound)
            }
        }
    }

    @Test("settings, membership, in-place prompt edits and image deletions made in the browser name their actor")
    func browserChangesNameTheirActor() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let manager = try f.user("manager"), engineer = try f.user("engineer"), outsider = try f.user("outsider")
            let cat = try await f.addImage("cat.png")
            let spare = try await f.addImage("spare.png", shade: 40)
            try await f.saveRegions(cat)
            let version = try await f.createPrompt()
            try await withReviewApp(f) { client in
                let managerBrowser = try await Browser.signedIn("manager", client: client)
                let base = "/projects/\(f.project.id)"
                let settings = try await managerBrowser.post(
                    "\(base)/settings",
                    form: [("name", f.project.name), ("description", "renamed"), ("min_energy", "0.4"),
                           ("min_coverage", "0.5"), ("max_energy", "0.1"), ("hot_threshold", "0.5")])
                #expect(settings.status == .seeOther)
                let added = try await managerBrowser.post(
                    "\(base)/members", form: [("email", outsider.email), ("role", "reviewer")])
                #expect(added.status == .seeOther)
                let changed = try await managerBrowser.post(
                    "\(base)/members", form: [("email", outsider.email), ("role", "engineer")])
                #expect(changed.status == .seeOther)
                let removed = try await managerBrowser.post("\(base)/members/\(outsider.id)/delete", form: [])
                #expect(removed.status == .seeOther)
                let deleted = try await managerBrowser.post("\(base)/images/\(spare.id)/delete", form: [])
                #expect(deleted.status == .seeOther)
                let engineerBrowser = try await Browser.signedIn("engineer", client: client)
                let edited = try await engineerBrowser.post(
                    "\(base)/prompts/\(version.id)/edit", form: [("name", version.name), ("text", "Describe the cat.")])
                #expect(edited.status == .seeOther)
            }
            let entries = try await f.audit.listEntries(projectID: f.project.id)
            func actors(_ kind: String) -> [User.ID?] { entries.filter { $0.kind == kind }.map(\.actorID) }
            #expect(actors("project.updated") == [manager.id])
            #expect(actors("thresholds.changed") == [manager.id])
            #expect(actors("member.added").contains(manager.id))  // the outsider, added by the manager
            #expect(actors("member.role_changed") == [manager.id])
            #expect(actors("member.removed") == [manager.id])
            #expect(actors("image.deleted") == [manager.id])
            #expect(actors("prompt.edited") == [engineer.id])
            #expect(entries.allSatisfy { $0.actorID != nil }, "\(entries.filter { $0.actorID == nil }.map(\.kind))")
        }
    }

    @Test("the audit table is append-only: UPDATE, DELETE and TRUNCATE are refused by the database")
    func appendOnly() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            _ = try await f.addImage("cat.png")
            let before = try await f.audit.listEntries(projectID: f.project.id)
            #expect(!before.isEmpty)
            for statement in ["UPDATE audit_log SET summary = 'forged'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                await #expect(throws: PSQLError.self, "\(statement)") {
                    try await f.client.query(PostgresQuery(unsafeSQL: statement), logger: f.logger)
                }
            }
            let after = try await f.audit.listEntries(projectID: f.project.id)
            #expect(after == before)
            // Explicit entries append.
            try await f.audit.recordEntry(
                projectID: f.project.id, actorID: try f.user("admin").id, kind: "note", summary: "explicit entry")
            #expect(try await f.audit.listEntries(projectID: f.project.id, filter: AuditFilter(kind: "note")).count == 1)
        }
    }
}

/// `YYYY-MM-DD` in UTC.
func AuditController_dayString(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: date)
}
