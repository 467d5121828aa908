import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

/// Review comments pinned on a run's image: points and boxes (form fallback), replies, resolve/reopen, listing
/// on the review page and the report, validation and access.
@Suite("Review comments")
struct CommentThreadTests {
    @Test("pin, reply, resolve, reopen; open comments are listed on the review page and in the report")
    func commentLifecycle() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let (_, version, run) = try await f.makeScoredRun()
            let comments = CommentRepository(client: f.client, logger: f.logger)
            try await withReviewApp(f) { client in
                let reviewer = try await Browser.signedIn("reviewer", client: client)
                let engineer = try await Browser.signedIn("engineer", client: client)
                let review = "/projects/\(f.project.id)/prompt-versions/\(version.id)/review"
                let create = "/projects/\(f.project.id)/runs/\(run.id)/comments"
                let point = try await reviewer.post(
                    create, form: [("shape", "point"), ("x", "12.5"), ("y", "9"), ("label", "cat"),
                                   ("body", "Heat misses the ear"), ("return_to", review)])
                #expect(point.status == .seeOther)
                #expect(point.headers[.location] == review)
                let box = try await engineer.post(
                    create, form: [("shape", "box"), ("x", "20"), ("y", "10"), ("width", "15"), ("height", "12"),
                                   ("body", "Spill onto the rug"), ("return_to", "https://evil.example/")])
                #expect(box.status == .seeOther)
                #expect(box.headers[.location] == create, "no open redirect")

                let stored = try await comments.listComments(promptVersionID: version.id)
                #expect(stored.count == 2)
                let first = try #require(stored.first)
                #expect(first.shape == .point && first.x == 12.5 && first.y == 9 && first.label == "cat")
                #expect(stored.last?.shape == .box && stored.last?.width == 15)

                // Outside the image, an empty body or a box without size: refused, nothing stored.
                for form in [
                    [("shape", "point"), ("x", "41"), ("y", "1"), ("body", "out")],
                    [("shape", "point"), ("x", "1"), ("y", "1"), ("body", "  ")],
                    [("shape", "box"), ("x", "1"), ("y", "1"), ("width", "0"), ("height", "3"), ("body", "flat")],
                    [("shape", "point"), ("x", "abc"), ("y", "1"), ("body", "nan")],
                ] {
                    #expect(try await reviewer.post(create, form: form).status == .badRequest, "\(form)")
                }
                #expect(try await comments.listComments(promptVersionID: version.id).count == 2)

                let reply = try await engineer.post(
                    "/projects/\(f.project.id)/comments/\(first.id)/replies",
                    form: [("body", "Retrained, see revision 2"), ("return_to", review)])
                #expect(reply.status == .seeOther)
                let page = String(buffer: try await reviewer.get(review).body)
                #expect(page.contains("Heat misses the ear"))
                #expect(page.contains("Retrained, see revision 2"))
                #expect(page.contains("<circle class=\"pin pin-open\" cx=\"12.5\" cy=\"9\""))
                #expect(page.contains("<rect class=\"pin pin-open\" x=\"20\" y=\"10\" width=\"15\" height=\"12\""))
                #expect(page.contains(#"data-summary="open-comments">2<"#))

                let resolve = try await reviewer.post(
                    "/projects/\(f.project.id)/comments/\(first.id)/resolve",
                    form: [("return_to", review), ("row_version", "1")])
                #expect(resolve.status == .seeOther)
                #expect(try await comments.findComment(id: first.id)?.status == .resolved)
                // A stale form (old row version) does not flip it back silently.
                let staleReopen = try await engineer.post(
                    "/projects/\(f.project.id)/comments/\(first.id)/reopen", form: [("row_version", "1")])
                #expect(staleReopen.status == .conflict)
                let afterResolve = String(buffer: try await reviewer.get(review).body)
                #expect(afterResolve.contains(#"data-summary="open-comments">1<"#))

                // The report lists the open comments.
                let signed = try await reviewer.post(
                    "/projects/\(f.project.id)/prompt-versions/\(version.id)/signoffs",
                    form: [("decision", "approve"), ("comment", "ok")])
                #expect(signed.status == .seeOther)
                let signOff = try #require(try await f.signOffs.findLatestSignOff(promptVersionID: version.id))
                let report = String(
                    buffer: try await reviewer.get("/projects/\(f.project.id)/signoffs/\(signOff.id)/report").body)
                #expect(report.contains("Spill onto the rug"))
                #expect(!report.contains("Heat misses the ear"), "resolved comments are not open")

                let reopen = try await engineer.post(
                    "/projects/\(f.project.id)/comments/\(first.id)/reopen", form: [("row_version", "2")])
                #expect(reopen.status == .seeOther)
                #expect(try await comments.findComment(id: first.id)?.status == .open)
                let kinds = try await f.audit.listEntries(projectID: f.project.id).map(\.kind)
                #expect(kinds.contains("comment.resolved") && kinds.contains("comment.reopened") && kinds.contains("comment.replied"))

                // The plain per-run page (no JavaScript needed) lists them with the x/y form.
                let plain = try await reviewer.get(create)
                #expect(plain.status == .ok)
                #expect(String(buffer: plain.body).contains("name=\"x\""))

                // Non-members: 404 everywhere.
                let outsider = try await Browser.signedIn("outsider", client: client)
                #expect(try await outsider.get(create).status == .notFound)
                #expect(try await outsider.post(create, form: [("x", "1"), ("y", "1"), ("body", "hi")]).status == .notFound)
                #expect(try await outsider.post(
                    "/projects/\(f.project.id)/comments/\(first.id)/resolve", form: []).status == .notFound)
            }
        }
    }
}
