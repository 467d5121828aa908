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

@Suite("Region editor")
struct RegionEditorTests {
    /// Stores `ok/png_rgb.png` (240 × 160) as `street.png` in the fixture's project.
    static func storeImage(_ fixture: DesignFixture, fixture name: String = "ok/png_rgb.png", as fileName: String = "street.png")
        async throws -> Image
    {
        let uploader = ImageUploader(images: fixture.images, maxFileBytes: 50 << 20)
        let outcome = try await uploader.uploadImage(
            ByteBuffer(bytes: try ImageFixtures.readImage(name)), fileName: fileName, projectID: fixture.project.id,
            uploadedBy: fixture.manager.id)
        guard case .uploaded(let image) = outcome else { throw TestSupportError("fixture upload failed: \(outcome.message)") }
        return image
    }

    @Test("the editor page carries the image size and the JSON form; saving the form stores version 1, 2, …")
    func saveForm() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let image = try await Self.storeImage(fixture)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            let path = "\(fixture.imagesPath)/\(image.id)"
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                let page = String(buffer: try await browser.get(path).body)
                #expect(page.contains(#"data-region-editor"#))
                #expect(page.contains(#"data-image-width="240""#) && page.contains(#"data-image-height="160""#))
                #expect(page.contains(#"name="regions""#))
                #expect(page.contains("/static/js/region-editor.js"))
                #expect(!page.contains("<script>"), "no inline script")

                let regions = #"{"regions":[{"label":"<b>dog</b>","aliases":["puppy"],"kind":"focus","min_energy":0.4,"shapes":[{"type":"rect","x":10,"y":20,"width":30,"height":40}]}]}"#
                let saved = try await browser.post("\(path)/regions", form: [("regions", regions), ("summary", "first <i>pass</i>")])
                #expect(saved.status == .seeOther)
                let version = try #require(try await fixture.regions.findCurrentRegionVersion(imageID: image.id))
                #expect(version.version == 1)
                #expect(version.summary == "first <i>pass</i>")
                #expect(version.createdBy == fixture.manager.id)
                let set = try RegionSet.parse(Array(version.regionsJSON.utf8))
                #expect(set.regions.first?.shapes == [.rect(x: 10, y: 20, width: 30, height: 40)])
                #expect(set.regions.first?.minEnergy == 0.4)

                let after = String(buffer: try await browser.get("\(path)?saved=1").body)
                #expect(after.contains("Saved as version 1."))
                #expect(after.contains("&lt;b&gt;dog&lt;/b&gt;") || after.contains("&lt;b&gt;dog"), "label escaped")
                #expect(!after.contains("<b>dog</b>") && !after.contains("<i>pass</i>"), "user text escaped")

                // A second save with no summary gets one written from the difference.
                let second = #"{"regions":[{"label":"cat","shapes":[{"type":"polygon","points":[[1,1],[50,2],[25,40]]}]}]}"#
                #expect(try await browser.post("\(path)/regions", form: [("regions", second)]).status == .seeOther)
                let versions = try await fixture.regions.listRegionVersions(imageID: image.id)
                #expect(versions.map(\.version) == [2, 1])
                #expect(versions.first?.summary == "added cat; removed <b>dog</b>")
                // The old version stays viewable.
                let old = try await browser.get("\(path)?version=1")
                #expect(old.status == .ok)
                #expect(String(buffer: old.body).contains("an older version"))
                #expect(try await browser.get("\(path)?version=9").status == .notFound)
                let json = try JSONParser.parse(Array(try await browser.get("\(path)/regions.json?version=1").body.readableBytesView))
                #expect(json["version"]?.numberValue == 1)
                #expect(json["regions"]?.arrayValue?.first?["label"]?.stringValue == "<b>dog</b>")
            }
        }
    }

    @Test("JSON saves (the script path) answer 201 with the version; bad region sets answer 422 and store nothing")
    func saveJSON() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let image = try await Self.storeImage(fixture)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            let path = "\(fixture.imagesPath)/\(image.id)/regions"
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                try await browser.get("\(fixture.imagesPath)/\(image.id)")
                let good = try await browser.postJSON(
                    path, json: #"{"summary":"by script","regions":[{"label":"sky","kind":"avoid","shapes":[{"type":"ellipse","cx":120,"cy":20,"rx":50,"ry":10,"angle":10}]}]}"#)
                #expect(good.status == .created)
                #expect(try JSONParser.parse(Array(good.body.readableBytesView))["version"]?.numberValue == 1)
                let cases: [(String, String)] = [
                    (#"{"regions":[{"label":"x","shapes":[{"type":"rect","x":500,"y":500,"width":10,"height":10}]}]}"#, "empty_region"),
                    (#"{"regions":[]}"#, "invalid_region"),
                    (#"{"regions":[{"label":"","shapes":[{"type":"rect","x":1,"y":1,"width":10,"height":10}]}]}"#, "invalid_region"),
                    (#"{"regions":[{"label":"x","shapes":[{"type":"polygon","points":[[1,1],[2,2]]}]}]}"#, "invalid_region"),
                    (#"{"regions":[{"label":"x","shapes":[{"type":"mask","size":[10,10],"counts":[100]}]}]}"#, "invalid_region"),
                    (#"{"regions": [nope"#, "invalid_json"),
                ]
                for (body, code) in cases {
                    let response = try await browser.postJSON(path, json: body)
                    #expect(response.status == .unprocessableContent, "\(body)")
                    let error = try JSONParser.parse(Array(response.body.readableBytesView))["error"]
                    #expect(error?["code"]?.stringValue == code, "\(body)")
                }
                #expect(try await fixture.regions.listRegionVersions(imageID: image.id).count == 1)
            }
        }
    }

    @Test("the form path shows the engine's message, keeps the submitted JSON, and stores nothing")
    func invalidForm() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let image = try await Self.storeImage(fixture)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            let path = "\(fixture.imagesPath)/\(image.id)"
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                try await browser.get(path)
                let outside = #"{"regions":[{"label":"ghost","shapes":[{"type":"rect","x":-50,"y":-50,"width":10,"height":10}]}]}"#
                let response = try await browser.post("\(path)/regions", form: [("regions", outside)])
                #expect(response.status == .badRequest)
                let html = String(buffer: response.body)
                #expect(html.contains("region &#39;ghost&#39; is empty") || html.contains("region 'ghost' is empty") || html.contains("ghost"))
                #expect(html.contains("Nothing saved"))
                #expect(html.contains("&quot;ghost&quot;"), "the submitted JSON is kept, escaped")
                let empty = try await browser.post("\(path)/regions", form: [("regions", "")])
                #expect(empty.status == .badRequest)
                #expect(try await fixture.regions.listRegionVersions(imageID: image.id).isEmpty)
            }
        }
    }

    @Test("role matrix: managers and admins edit; engineers and reviewers view; outsiders get 404")
    func roleMatrix() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let image = try await Self.storeImage(fixture)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            let base = fixture.imagesPath
            let path = "\(base)/\(image.id)"
            let regions = #"{"regions":[{"label":"dog","shapes":[{"type":"rect","x":1,"y":1,"width":9,"height":9}]}]}"#
            typealias Expect = [String: HTTPResponse.Status]
            let view: Expect = ["manager": .ok, "engineer": .ok, "reviewer": .ok, "outsider": .notFound, "admin": .ok]
            let editPage: Expect = ["manager": .ok, "engineer": .forbidden, "reviewer": .forbidden, "outsider": .notFound, "admin": .ok]
            let editForm: Expect = [
                "manager": .seeOther, "engineer": .forbidden, "reviewer": .forbidden, "outsider": .notFound, "admin": .seeOther,
            ]
            try await app.test(.router) { client in
                for actor in ["manager", "engineer", "reviewer", "outsider", "admin"] {
                    let browser = try await fixture.signIn(actor, client: client)
                    let gets: [(String, Expect)] = [
                        (base, view), (path, view), ("\(path)/regions.json", view), ("\(path)/thumbnail", view),
                        ("\(path)/display", view), ("\(path)/original", view), ("/projects/\(fixture.project.id)/import", editPage),
                        ("/projects/\(fixture.project.id)/export/coco.json", view),
                    ]
                    for (uri, expected) in gets {
                        let status = try await browser.get(uri).status
                        #expect(status == expected[actor], "\(actor) GET \(uri): \(status.code)")
                    }
                    let save = try await browser.post("\(path)/regions", form: [("regions", regions)])
                    #expect(save.status == editForm[actor], "\(actor) saves regions: \(save.status.code)")
                    let page = String(buffer: try await browser.get(path).body)
                    if actor == "engineer" || actor == "reviewer" {
                        #expect(!page.contains("data-save"), "\(actor) sees no save button")
                    }
                }
                // An image of another project is not reachable through this project.
                let browser = try await fixture.signIn("manager", client: client)
                #expect(try await browser.get("\(base)/\(Image.ID.generate())").status == .notFound)
                // Without the CSRF token nothing is saved.
                let forged = try await browser.post("\(path)/regions", form: [("regions", regions)], csrf: "")
                #expect(forged.status == .forbidden)
                let delete = try await browser.post("\(path)/delete", form: [])
                #expect(delete.status == .seeOther)
                #expect(try await fixture.images.findImage(id: image.id) == nil)
            }
        }
    }
}
