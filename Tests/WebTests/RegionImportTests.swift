import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

@Suite("Region import and export")
struct RegionImportTests {
    /// pycocotools' compressed RLE string (`rleToString`).
    static func compressCounts(_ counts: [Int]) -> String {
        var out = ""
        for index in counts.indices {
            var x = counts[index]
            if index > 2 { x -= counts[index - 2] }
            var more = true
            while more {
                var c = x & 0x1f
                x >>= 5
                more = (c & 0x10) != 0 ? x != -1 : x != 0
                if more { c |= 0x20 }
                out.unicodeScalars.append(Unicode.Scalar(UInt8(c + 48)))
            }
        }
        return out
    }

    static func currentSet(_ fixture: DesignFixture, _ image: Image) async throws -> RegionSet? {
        guard let version = try await fixture.regions.findCurrentRegionVersion(imageID: image.id) else { return nil }
        return try RegionSet.parse(Array(version.regionsJSON.utf8))
    }

    @Test("COCO: bbox, polygon and RLE (list and compressed) become regions per category; unmatched files are reported")
    func importCOCO() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let street = try await RegionEditorTests.storeImage(fixture)  // 240 × 160
            let cat = try await RegionEditorTests.storeImage(fixture, fixture: "ok/jpeg_exif_orient6.jpg", as: "cat.jpg")  // 451 × 300 (EXIF orientation 6)
            let total = 451 * 300
            let listCounts = [300 * 10 + 5, 20, total - 300 * 10 - 25]
            // JSON-escaped (the alphabet includes the backslash).
            let compressed = Self.compressCounts([300 * 50, 300, total - 300 * 51])
                .replacingOccurrences(of: "\\", with: "\\\\")
            let coco = """
                {"images": [
                   {"id": 1, "file_name": "street.png", "width": 480, "height": 320},
                   {"id": "c", "file_name": "photos/cat.jpg", "width": 451, "height": 300},
                   {"id": 3, "file_name": "missing.jpg", "width": 10, "height": 10}],
                 "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "cat"}, {"id": 3, "name": "tail"}],
                 "annotations": [
                   {"id": 1, "image_id": 1, "category_id": 1, "bbox": [20, 40, 60, 80], "segmentation": [], "iscrowd": 0},
                   {"id": 2, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1],
                    "segmentation": [[200, 20, 300, 20, 300, 120, 200, 120]], "iscrowd": 0},
                   {"id": 3, "image_id": "c", "category_id": 2, "bbox": [10, 5, 1, 20],
                    "segmentation": {"size": [300, 451], "counts": \(listCounts)}, "iscrowd": 1},
                   {"id": 4, "image_id": "c", "category_id": 3, "bbox": [50, 0, 1, 300],
                    "segmentation": {"size": [300, 451], "counts": "\(compressed)"}, "iscrowd": 1},
                   {"id": 5, "image_id": 3, "category_id": 1, "bbox": [1, 1, 2, 2]}]}
                """
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                let importPath = "/projects/\(fixture.project.id)/import"
                #expect(try await browser.get(importPath).status == .ok)
                let response = try await browser.postMultipart(
                    importPath, fields: [("format", "")], files: [("file", "instances.json", Array(coco.utf8))],
                    token: .query, acceptJSON: false)
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("COCO: 2 image(s) imported, 1 unmatched, 0 invalid."))
                #expect(html.contains("missing.jpg"))

                let streetSet = try #require(try await Self.currentSet(fixture, street))
                #expect(streetSet.regions.count == 1)
                #expect(streetSet.regions[0].label == "car")
                #expect(streetSet.regions[0].shapes == [
                    .rect(x: 10, y: 20, width: 30, height: 40),
                    .polygon(points: [(100, 10), (150, 10), (150, 60), (100, 60)]),
                ], "scaled from the 480 × 320 the file states to the stored 240 × 160")
                let catSet = try #require(try await Self.currentSet(fixture, cat))
                #expect(catSet.regions.map(\.label) == ["cat", "tail"])
                #expect(catSet.regions[0].shapes == [.mask(height: 300, width: 451, counts: listCounts)])
                #expect(catSet.regions[1].shapes == [.mask(height: 300, width: 451, counts: [300 * 50, 300, total - 300 * 51])])
                let versions = try await fixture.regions.listRegionVersions(imageID: street.id)
                #expect(versions.first?.summary.contains("imported from COCO file instances.json") == true)

                // Export: every image, one category per label, bbox and segmentation per shape.
                let export = try await browser.get("/projects/\(fixture.project.id)/export/coco.json")
                #expect(export.status == .ok)
                #expect(export.headers[.contentDisposition]?.contains("attachment") == true)
                let json = try JSONParser.parse(Array(export.body.readableBytesView))
                let images = try #require(json["images"]?.arrayValue)
                #expect(images.compactMap { $0["file_name"]?.stringValue } == ["street.png", "cat.jpg"])
                #expect(json["categories"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["car", "cat", "tail"])
                let annotations = try #require(json["annotations"]?.arrayValue)
                #expect(annotations.count == 4)
                #expect(annotations[0]["bbox"] == .array([.number(10), .number(20), .number(30), .number(40)]))
                #expect(annotations[0]["area"]?.numberValue == 1200)
                #expect(annotations[2]["bbox"] == .array([.number(10), .number(5), .number(1), .number(20)]), "mask bbox")
                #expect(annotations[2]["iscrowd"]?.numberValue == 1)

                // The export imports back (rectangles come back as polygons of the same area).
                let back = try await browser.postMultipart(
                    importPath, fields: [("format", "coco")], files: [("file", "export.json", Array(export.body.readableBytesView))],
                    token: .query, acceptJSON: false)
                #expect(String(buffer: back.body).contains("2 image(s) imported, 0 unmatched, 0 invalid"))
                #expect(try await fixture.regions.listRegionVersions(imageID: street.id).count == 2)
                let masks = try Rasterizer.groupMasks(try #require(try await Self.currentSet(fixture, street)), width: 240, height: 160)
                let before = try Rasterizer.groupMasks(streetSet, width: 240, height: 160)
                #expect(masks == before, "same pixels after the round trip")
            }
        }
    }

    @Test("Label Studio: rectangles (also rotated), polygons and ellipses in percent become pixels of the stored image")
    func importLabelStudio() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let street = try await RegionEditorTests.storeImage(fixture)  // 240 × 160
            let export = """
                [{"id": 1, "data": {"image": "/data/upload/1/8b1f2c3d-street.png"},
                  "annotations": [{"id": 1, "was_cancelled": false, "result": [
                    {"type": "rectanglelabels", "original_width": 240, "original_height": 160, "image_rotation": 0,
                     "value": {"x": 10, "y": 25, "width": 50, "height": 25, "rotation": 0, "rectanglelabels": ["car"]}},
                    {"type": "rectanglelabels", "original_width": 240, "original_height": 160,
                     "value": {"x": 50, "y": 50, "width": 10, "height": 10, "rotation": 90, "rectanglelabels": ["sign"]}},
                    {"type": "polygonlabels", "value": {"points": [[50, 50], [75, 50], [75, 100]], "polygonlabels": ["road"]}},
                    {"type": "ellipselabels", "value": {"x": 50, "y": 50, "radiusX": 10, "radiusY": 20, "rotation": 30,
                     "ellipselabels": ["wheel"]}},
                    {"type": "choices", "value": {"choices": ["day"]}}]}]},
                 {"id": 2, "data": {"image": "/data/upload/1/abcdefgh-other.png"},
                  "annotations": [{"result": [{"type": "rectanglelabels",
                    "value": {"x": 1, "y": 1, "width": 1, "height": 1, "rectanglelabels": ["x"]}}]}]}]
                """
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                let response = try await browser.postMultipart(
                    "/projects/\(fixture.project.id)/import", fields: [("format", "labelstudio")],
                    files: [("file", "project-1.json", Array(export.utf8))], token: .query, acceptJSON: false)
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Label Studio: 1 image(s) imported, 1 unmatched, 0 invalid."))
                #expect(html.contains("abcdefgh-other.png"))
                let set = try #require(try await Self.currentSet(fixture, street))
                #expect(set.regions.map(\.label) == ["car", "sign", "road", "wheel"])
                #expect(set.regions[0].shapes == [.rect(x: 24, y: 40, width: 120, height: 40)])
                guard case .polygon(let sign) = set.regions[1].shapes[0] else {
                    Issue.record("a rotated rectangle becomes a polygon")
                    return
                }
                // 24 × 16 px turned 90° clockwise about (120, 80): corners (120,80), (120,104), (104,104), (104,80).
                let expected: [(Double, Double)] = [(120, 80), (120, 104), (104, 104), (104, 80)]
                for (point, want) in zip(sign, expected) {
                    #expect(abs(point.0 - want.0) < 1e-9 && abs(point.1 - want.1) < 1e-9, "\(point) vs \(want)")
                }
                #expect(set.regions[2].shapes == [.polygon(points: [(120, 80), (180, 80), (180, 160)])])
                #expect(set.regions[3].shapes == [.ellipse(cx: 120, cy: 80, rx: 24, ry: 32, angle: 30)])
            }
        }
    }

    @Test("unreadable or wrong files are refused with a message and nothing is stored; engineers may not import")
    func badImports() async throws {
        try await TestDatabase.withSchema { schema in
            let fixture = try await DesignFixture.makeFixture(schema: schema)
            let street = try await RegionEditorTests.storeImage(fixture)
            let app = try await makeTestApplication(client: fixture.client, logger: fixture.logger)
            try await app.test(.router) { client in
                let browser = try await fixture.signIn("manager", client: client)
                let path = "/projects/\(fixture.project.id)/import"
                for (body, message) in [("{not json", "Nothing imported"), (#"{"hello": 1}"#, "Nothing imported")] {
                    let response = try await browser.postMultipart(
                        path, files: [("file", "x.json", Array(body.utf8))], token: .query, acceptJSON: false)
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains(message))
                }
                // A region outside the image is reported invalid; nothing stored for it.
                let outside = #"{"images":[{"id":1,"file_name":"street.png"}],"categories":[{"id":1,"name":"far"}],"annotations":[{"image_id":1,"category_id":1,"bbox":[1000,1000,5,5]}]}"#
                let response = try await browser.postMultipart(
                    path, files: [("file", "x.json", Array(outside.utf8))], token: .query, acceptJSON: false)
                #expect(String(buffer: response.body).contains("0 image(s) imported, 0 unmatched, 1 invalid"))
                #expect(try await fixture.regions.listRegionVersions(imageID: street.id).isEmpty)
                let engineer = try await fixture.signIn("engineer", client: client)
                let refused = try await engineer.postMultipart(
                    path, files: [("file", "x.json", Array(outside.utf8))], token: .query, acceptJSON: false)
                #expect(refused.status == .forbidden)
            }
        }
    }
}
