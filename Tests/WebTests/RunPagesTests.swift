import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing
import TestSupport
import Web

/// The engineer's browser flow through the router: prompt form, multipart run upload, scored run page with
/// highlighted description, panel PNGs, image runs, comparison (HTML, CSV, side by side) and API tokens.
@Suite("Run pages")
struct RunPagesTests {
    @Test("prompt → run with two heatmaps → scored page, panels, comparison, tokens")
    func engineerFlow() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let app = try await makeTestApplication(client: client, logger: logger)
            let project = fixture.project.id
            try await app.test(.router) { testClient in
                let browser = Browser(client: testClient)
                try await browser.signIn(email: fixture.engineer.email, password: fixture.password)
                #expect(try await browser.get("/projects/\(project)/prompts").status == .ok)
                let created = try await browser.post(
                    "/projects/\(project)/prompts", form: [("name", "Scene"), ("text", "Describe the scene.")])
                #expect(created.status == .seeOther)
                let location = try #require(created.headers[.location])
                let versionID = try #require(location.split(separator: "/").last.map(String.init))
                let shown = try await browser.get(location)
                #expect(shown.status == .ok)
                #expect(String(buffer: shown.body).contains("Describe the scene."))

                #expect(try await browser.get("/projects/\(project)/runs/new").status == .ok)
                var form = MultipartBody()
                form.addField("prompt_version_id", versionID)
                form.addField("image_id", fixture.image.id.description)
                form.addField("model", "test-vlm")
                form.addField("description", "Two kittens sleep near a window.")
                form.addFile("heatmaps", fileName: "cat.npy", bytes: NPYWriter.float32(DevelopmentFixture.catHeatmap(onTarget: true)))
                form.addField("keyword[0]", "window")
                form.addFile("file[0]", fileName: "w.json", bytes: Array("[[0, 0, 1], [0, 0, 1]]".utf8))
                let token = try #require(browser.jar.value("sightline_csrf"))
                var headers: HTTPFields = [.accept: "text/html", .contentType: form.contentType]
                headers[.cookie] = browser.jar.header
                let posted = try await testClient.executeRequest(
                    uri: "/projects/\(project)/runs?_csrf=\(token)", method: .post, headers: headers, body: form.buffer)
                #expect(posted.status == .seeOther)
                let runPath = try #require(posted.headers[.location])

                let scoring = try await browser.get(runPath)
                #expect(scoring.status == .ok)
                #expect(String(buffer: scoring.body).contains("Scoring…"))

                try await finishScoring(client: client, logger: logger)
                let page = try await browser.get(runPath)
                let html = String(buffer: page.body)
                #expect(page.status == .ok)
                #expect(!html.contains("scoring-progress"))
                #expect(html.contains(#"<mark class="label-mention" data-label="cat">kittens</mark>"#))
                #expect(html.contains(#"data-region="cat""#))
                #expect(html.contains(#"data-keyword="window""#))
                #expect(html.contains("verdict-pass"))

                for panel in ["original-outlines", "heatmap-jet-outlines", "heatmap-gray-plain", "overlay-jet-outlines", "overlay-gray-plain"] {
                    let png = try await browser.get("\(runPath)/panel.png?label=cat&panel=\(panel)")
                    #expect(png.status == .ok, "\(panel)")
                    #expect(png.headers[.contentType] == "image/png")
                    let bytes = Array(png.body.readableBytesView)
                    let decoded = try ImageDecoder.decode(bytes)
                    #expect(decoded.width == 320 && decoded.height == 213)
                }
                #expect(try await browser.get("\(runPath)/panel.png?label=nope&panel=overlay-jet-outlines").status == .notFound)

                let imagePage = try await browser.get("/projects/\(project)/images/\(fixture.image.id)/runs")
                #expect(imagePage.status == .ok)
                #expect(String(buffer: imagePage.body).contains("test-vlm"))

                let compare = try await browser.get("/projects/\(project)/compare")
                #expect(compare.status == .ok)
                let compareHTML = String(buffer: compare.body)
                #expect(compareHTML.contains("pass-rate-chart"))
                #expect(compareHTML.contains("Scene v1"))
                let csv = try await browser.get("/projects/\(project)/compare.csv")
                #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(String(buffer: csv.body).hasPrefix("prompt,version,"))
                let side = try await browser.get(
                    "/projects/\(project)/compare/images/\(fixture.image.id)?a=\(fixture.prompt.id)&b=\(versionID)")
                #expect(side.status == .ok)
                let sideHTML = String(buffer: side.body)
                #expect(sideHTML.contains("differences"))
                // Version B's run mentions the cat ("kittens"); version A has no run on this image.
                #expect(sideHTML.contains(#"<td data-mentioned="b">yes</td>"#))
                #expect(sideHTML.contains(#"<td data-mentioned="a">–</td>"#))

                let tokens = try await browser.post("/projects/\(project)/tokens", form: [("name", "laptop")])
                #expect(tokens.status == .ok)
                #expect(String(buffer: tokens.body).contains("token-secret"))

                // Editing the prompt that now has a run creates version 2.
                let edited = try await browser.post(
                    "/projects/\(project)/prompts/\(versionID)/edit", form: [("name", "Scene"), ("text", "Describe the whole scene.")])
                #expect(edited.status == .seeOther)
                #expect(edited.headers[.location]?.hasSuffix("saved=2") == true)

                // A bad heatmap re-renders the form with the engine's code.
                var bad = MultipartBody()
                bad.addField("prompt_version_id", versionID)
                bad.addField("image_id", fixture.image.id.description)
                bad.addFile("heatmaps", fileName: "cat.npy", bytes: Array("garbage".utf8))
                var badHeaders: HTTPFields = [.accept: "text/html", .contentType: bad.contentType]
                badHeaders[.cookie] = browser.jar.header
                let refused = try await testClient.executeRequest(
                    uri: "/projects/\(project)/runs?_csrf=\(token)", method: .post, headers: badHeaders, body: bad.buffer)
                #expect(refused.status == .badRequest)
                #expect(String(buffer: refused.body).contains("unsupported_heatmap"))
            }
        }
    }

    @Test("a reviewer sees runs but cannot upload or create tokens")
    func reviewerLimits() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let logger = schema.logger
            let fixture = try await DevelopmentFixture.make(client: client, logger: logger)
            let run = try await fixture.createRun(client: client, logger: logger)
            try await ProjectRepository(client: client, logger: logger)
                .upsertMember(projectID: fixture.project.id, userID: fixture.engineer.id, role: .reviewer)
            let app = try await makeTestApplication(client: client, logger: logger)
            try await app.test(.router) { testClient in
                let browser = Browser(client: testClient)
                try await browser.signIn(email: fixture.engineer.email, password: fixture.password)
                #expect(try await browser.get("/projects/\(fixture.project.id)/runs/\(run.id)").status == .ok)
                #expect(try await browser.get("/projects/\(fixture.project.id)/runs/new").status == .forbidden)
                #expect(try await browser.get("/projects/\(fixture.project.id)/tokens").status == .forbidden)
                #expect(try await browser.post("/projects/\(fixture.project.id)/prompts", form: [("name", "x"), ("text", "y")]).status == .forbidden)
            }
        }
    }
}
