import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

@Suite("Image upload")
struct ImageUploadTests {
    @Test("a good file is decoded once, stored with display copy and thumbnail, in display orientation")
    func uploadGood() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                let page = try await browser.get(fixture.imagesPath)
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("data-upload"))
                let bytes = try ImageFixtures.readImage("ok/jpeg_exif_orient6.jpg")
                let response = try await browser.postMultipart(
                    fixture.imagesPath, files: [("files", "cat.jpg", bytes)])
                #expect(response.status == .created)
                let json = try JSONParser.parse(Array(response.body.readableBytesView))
                let result = try #require(json["results"]?.arrayValue?.first)
                #expect(result["status"]?.stringValue == "uploaded")
                let stored = try await fixture.images.listImages(projectID: fixture.project.id)
                #expect(stored.count == 1)
                let image = try #require(stored.first)
                #expect(image.fileName == "cat.jpg")
                #expect(image.format == "jpeg")
                #expect(image.width == 451 && image.height == 300, "EXIF orientation 6: stored 300 × 451, displayed 451 × 300")
                #expect(image.sha256 == ImageUploader.computeSHA256(bytes))
                let original = try await browser.get("\(fixture.imagesPath)/\(image.id)/original")
                #expect(Array(original.body.readableBytesView) == bytes)
                let thumbnail = try await browser.get("\(fixture.imagesPath)/\(image.id)/thumbnail")
                #expect(thumbnail.headers[.contentType] == "image/jpeg")
                let thumb = try ImageDecoder.probe(Array(thumbnail.body.readableBytesView))
                #expect(max(thumb.displayWidth, thumb.displayHeight) == 256)
                #expect(thumb.displayHeight == 170, "landscape after orientation")
                let display = try ImageDecoder.probe(Array(try #require(try await fixture.images.fetchDisplay(imageID: image.id)).readableBytesView))
                #expect(display.displayWidth == 451 && display.displayHeight == 300, "small images keep their size")
                let grid = String(buffer: try await browser.get(fixture.imagesPath).body)
                #expect(grid.contains("cat.jpg") && grid.contains("needs regions"))
            }
        }
    }

    @Test("a big image gets a display copy with long side 2048; the content decides the format, not the name")
    func displayCopyAndFormat() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            let big = RGBImage(width: 3000, height: 1000, pixels: [UInt8](repeating: 120, count: 3000 * 1000 * 3))
            let png = ImageEncoder.png(big)
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                let response = try await browser.postMultipart(fixture.imagesPath, files: [("files", "wide.jpg", png)])
                #expect(response.status == .created)
                let image = try #require(try await fixture.images.listImages(projectID: fixture.project.id).first)
                #expect(image.format == "png")
                #expect(image.width == 3000 && image.height == 1000)
                #expect(image.displayWidth == 2048 && image.displayHeight == 683)
            }
        }
    }

    @Test("re-uploading the same bytes says already uploaded and stores nothing")
    func duplicate() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                let bytes = try ImageFixtures.readImage("ok/png_rgb.png")
                #expect(try await browser.postMultipart(fixture.imagesPath, files: [("files", "a.png", bytes)]).status == .created)
                let again = try await browser.postMultipart(fixture.imagesPath, files: [("files", "copy.png", bytes)])
                #expect(again.status == .ok)
                let result = try #require(try JSONParser.parse(Array(again.body.readableBytesView))["results"]?.arrayValue?.first)
                #expect(result["status"]?.stringValue == "duplicate")
                #expect(result["message"]?.stringValue?.contains("Already uploaded as a.png") == true)
                #expect(try await fixture.images.countImages(projectID: fixture.project.id) == 1)
            }
        }
    }

    @Test("bad files are refused with the engine's error; the good files of the same batch are stored")
    func badFilesInBatch() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                let gif = try ImageFixtures.readImage("bad/image.gif")
                let single = try await browser.postMultipart(fixture.imagesPath, files: [("files", "anim.png", gif)])
                #expect(single.status == .unprocessableContent)
                let json = try JSONParser.parse(Array(single.body.readableBytesView))
                let error = try #require(json["results"]?.arrayValue?.first?["error"])
                #expect(error["code"]?.stringValue == "unreadable_image")
                let message = error["message"]?.stringValue ?? ""
                #expect(message.count > 0)

                // The plain form: several files in one request, token in the query, HTML answer.
                let files: [(field: String, name: String, bytes: [UInt8])] = [
                    ("files", "good.png", try ImageFixtures.readImage("ok/png_rgba.png")),
                    ("files", "huge.png", try ImageFixtures.readImage("bad/ihdr_20001x100.png")),
                    ("files", "broken.jpg", try ImageFixtures.readImage("bad/garbage_after_soi.jpg")),
                    ("files", "also-good.jpg", try ImageFixtures.readImage("ok/jpeg_baseline.jpg")),
                ]
                let batch = try await browser.postMultipart(fixture.imagesPath, files: files, token: .query, acceptJSON: false)
                #expect(batch.status == .ok)
                let html = String(buffer: batch.body)
                #expect(html.contains("upload-rejected"))
                #expect(html.contains("huge.png"))
                let names = try await fixture.images.listImages(projectID: fixture.project.id).map(\.fileName)
                #expect(names.sorted() == ["also-good.jpg", "good.png"])
            }
        }
    }

    @Test("uploads need the CSRF token and the manager role")
    func csrfAndRoles() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            let bytes = try ImageFixtures.readImage("ok/png_rgb.png")
            try await app.test(.router) { client in
                let manager = try await fixture.signIn("manager", client: client)
                let noToken = try await manager.postMultipart(fixture.imagesPath, files: [("files", "a.png", bytes)], token: .none)
                #expect(noToken.status == .forbidden)
                for (name, expected) in [("engineer", HTTPResponse.Status.forbidden), ("reviewer", .forbidden), ("outsider", .notFound)] {
                    let browser = try await fixture.signIn(name, client: client)
                    let response = try await browser.postMultipart(fixture.imagesPath, files: [("files", "a.png", bytes)])
                    #expect(response.status == expected, "\(name)")
                }
                let admin = try await fixture.signIn("admin", client: client)
                #expect(try await admin.postMultipart(fixture.imagesPath, files: [("files", "a.png", bytes)]).status == .created)
                #expect(try await fixture.images.countImages(projectID: fixture.project.id) == 1)
            }
        }
    }
}
