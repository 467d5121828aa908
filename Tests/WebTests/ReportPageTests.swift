import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

/// The sign-off report: printable HTML with print CSS, the same content as JSON, and staleness shown.
@Suite("Sign-off report")
struct ReportPageTests {
    @Test("HTML and JSON report of an override approval; stale after a heatmap replacement")
    func reportContent() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let cat = try await f.addImage("cat.png")
            let dog = try await f.addImage("dog.png", shade: 60)
            try await f.saveRegions(cat)
            try await f.saveRegions(dog)
            let version = try await f.createPrompt("Describe the pet; name every animal.")
            let catRun = try await f.createRun(version, cat, good: true)
            try await f.createRun(version, dog, good: false)
            try await f.scoreAll()
            let reviewer = try f.user("reviewer")
            let signOff = try await f.signOffs.createSignOff(
                NewSignOff(
                    promptVersionID: version.id, reviewerID: reviewer.id, reviewerName: reviewer.displayName,
                    decision: .approve, comment: "Dog failure accepted for now.", expectedDigest: nil,
                    expectedSequence: nil))
            #expect(signOff.override)
            try await withReviewApp(f) { client in
                let browser = try await Browser.signedIn("engineer", client: client)
                let base = "/projects/\(f.project.id)/signoffs/\(signOff.id)"
                let page = try await browser.get(base + "/report")
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(html.contains("/static/css/print.css"))
                #expect(html.contains("Describe the pet; name every animal."))
                #expect(html.contains("Dog failure accepted for now."))
                #expect(html.contains("override: approved although verdicts fail"))
                #expect(html.contains(signOff.digest))
                #expect(html.contains("cat.png") && html.contains("dog.png"))
                #expect(html.contains("overlay-jet-outlines.png") && html.contains("heatmap-jet-outlines.png"))
                #expect(!html.contains("role=\"alert\""), "not stale yet")

                let json = try await browser.get(base + "/report.json")
                #expect(json.status == .ok)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(json.body.readableBytesView)) as? [String: Any])
                let decision = try #require(object["sign_off"] as? [String: Any])
                #expect(decision["decision"] as? String == "approve")
                #expect(decision["override"] as? Bool == true)
                #expect(decision["digest"] as? String == signOff.digest)
                let summary = try #require(object["summary"] as? [String: Any])
                #expect((summary["passed"] as? NSNumber)?.intValue == 1)
                #expect((summary["failed"] as? NSNumber)?.intValue == 1)
                #expect((summary["pass_rate"] as? NSNumber)?.doubleValue == 0.5)
                let images = try #require(object["images"] as? [[String: Any]])
                #expect(images.count == 2)
                #expect((images.first?["keywords"] as? [[String: Any]])?.first?["label"] as? String == "cat")
                #expect((object["current"] as? [String: Any])?["status"] as? String == "approved")

                // Heatmap replaced: the report says stale and what changed; the JSON too.
                _ = try await f.runs.createRevision(
                    of: catRun.id, heatmaps: [ReviewTestFixture.heatmap("cat", good: false)], description: nil,
                    modelName: nil, latencyMs: nil, source: .api, createdBy: try f.user("engineer").id)
                let stale = String(buffer: try await browser.get(base + "/report").body)
                #expect(stale.contains("role=\"alert\""))
                #expect(stale.contains("Heatmap &#39;cat&#39; of cat.png was replaced.") || stale.contains("Heatmap 'cat' of cat.png was replaced."))
                let staleJSON = try #require(
                    try JSONSerialization.jsonObject(with: Data(try await browser.get(base + "/report.json").body.readableBytesView)) as? [String: Any])
                #expect((staleJSON["current"] as? [String: Any])?["status"] as? String == "stale")
                #expect((staleJSON["current"] as? [String: Any])?["this_sign_off"] as? String == "stale")
                // The report still shows what was reviewed: the first revision's run.
                let reviewedRun = (staleJSON["images"] as? [[String: Any]])?.first { $0["file_name"] as? String == "cat.png" }?["run_id"] as? String
                #expect(reviewedRun == catRun.id.description)

                let outsider = try await Browser.signedIn("outsider", client: client)
                #expect(try await outsider.get(base + "/report").status == .notFound)
                #expect(try await browser.get("/projects/\(f.project.id)/signoffs/\(SignOff.ID.generate())/report").status == .notFound)
            }
        }
    }
}
