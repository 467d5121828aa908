import Foundation
import Testing
@testable import Engine

/// Region parsing and validation (§7) and rasterisation (§2).
@Suite("Regions: parsing, validation, rasterisation")
struct RegionTests {
    private func parse(_ text: String) throws(EngineError) -> RegionSet { try RegionSet.parse(Array(text.utf8)) }

    private func code(_ text: String) -> EngineErrorCode? {
        do { _ = try parse(text); return nil } catch { return error.code }
    }

    private func regions(_ shapes: String, extra: String = "") -> String {
        #"{"regions": [{"label": "x"\#(extra), "shapes": [\#(shapes)]}]}"#
    }

    @Test("a full region set parses, groups and round-trips through toJSON")
    func parseValid() throws {
        let text = #"""
        {"regions": [
          {"label": "girl", "aliases": ["child"], "kind": "focus", "min_energy": 0.4, "min_coverage": 0.25,
           "shapes": [{"type": "rect", "x": 10, "y": 20, "width": 100, "height": 80},
                      {"type": "polygon", "points": [[0, 0], [10.5, 0], [5, 7.25]]}]},
          {"label": "sky", "kind": "avoid", "max_energy": 0.2,
           "shapes": [{"type": "ellipse", "cx": 5, "cy": 6, "rx": 3, "ry": 2}]},
          {"label": " Girl ", "shapes": [{"type": "mask", "size": [2, 3], "counts": [1, 2, 3]}]}
        ]}
        """#
        let set = try parse(text)
        #expect(set.regions.count == 3)
        #expect(set.regions[0].aliases == ["child"])
        #expect(set.regions[0].minEnergy == 0.4)
        #expect(set.regions[1].kind == .avoid)
        #expect(set.regions[1].shapes == [.ellipse(cx: 5, cy: 6, rx: 3, ry: 2, angle: 0)])
        #expect(set.regions[2].shapes == [.mask(height: 2, width: 3, counts: [1, 2, 3])])
        let groups = set.groups
        #expect(groups.map(\.label) == ["girl", "sky"])
        #expect(groups[0].shapes.count == 3)
        #expect(groups[0].regionIndices == [0, 2])
        #expect(groups[0].matches("CHILD ") && groups[0].matches("Girl") && !groups[0].matches("sky"))
        let again = try RegionSet.parse(JSONParser.parse(JSONWriter.serializeBytes(set.toJSON())))
        #expect(again == set)
    }

    @Test("unparseable regions JSON is invalid_json")
    func unparseable() {
        #expect(code(#"{"regions": [}"#) == .invalidJSON)
        #expect(code("") == .invalidJSON)
        #expect(code(#"{"regions": [{"label": "x", "shapes": [{"type": "rect", "x": NaN, "y": 0, "width": 1, "height": 1}]}]}"#) == .invalidJSON)
    }

    @Test("wrong structures are invalid_region", arguments: [
        #"[{"label": "x", "shapes": []}]"#,                                      // top-level array
        #"{"regions": []}"#,                                                     // empty list
        #"{"regions": {}}"#,
        #"{"shapes": []}"#,
        #"{"regions": [{"label": "", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"label": "  ", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"shapes": [{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"label": 3, "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x", "kind": "focus", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}]}, {"label": "X", "kind": "avoid", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x", "kind": "maybe", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x", "aliases": "y", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x", "min_energy": "0.5", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x"}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "circle", "cx": 1, "cy": 1, "r": 2}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"x": 0, "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "rect", "x": "0", "y": 0, "width": 1, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 0, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 5, "height": -1}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "rect", "x": 1e400, "y": 0, "width": 5, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "rect", "x": 1e308, "y": 0, "width": 1e308, "height": 1}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "polygon", "points": [[0, 0], [1, 1]]}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "polygon", "points": [[0, 0], [1, 1], [2]]}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "polygon", "points": [[0, 0], [1, 1], [2, "3"]]}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "polygon", "points": [[0, 0], [1, -1e999], [2, 3]]}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "ellipse", "cx": 1, "cy": 1, "rx": 0, "ry": 2}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "ellipse", "cx": 1, "cy": 1, "rx": 3, "ry": 2, "angle": "45"}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "mask", "size": [2, 3], "counts": [1, -2, 7]}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "mask", "size": [2, 3], "counts": [1, 2, 2]}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "mask", "size": [2, 3], "counts": [1.5, 4.5]}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "mask", "size": [2], "counts": [6]}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "mask", "size": [2, 3], "counts": "not rle!"}]}]}"#,
        #"{"regions": [{"label": "x", "shapes": [{"type": "mask", "size": [2, 3]}]}]}"#,
    ])
    func invalidRegion(text: String) {
        #expect(code(text) == .invalidRegion, "\(text)")
    }

    @Test("pycocotools compressed strings decode and re-encode")
    func compressedRLE() {
        // "0", "n0", "R6": 0; 30 (0x1E, continued by a zero group); 2 | 6 << 5 = 194 (rleFrString's rules by hand).
        #expect(COCORLE.decodeString("0n0R6") == [0, 30, 194])
        // From the fourth value on, values are deltas to the value two places back: "1" adds 1 to 30.
        #expect(COCORLE.decodeString("0n0R61") == [0, 30, 194, 31])
        for counts in [[0, 5, 3, 120, 7], [50176], [10, 10, 10, 10, 50136], [0, 1, 0, 1, 100, 1000, 3]] {
            #expect(COCORLE.decodeString(COCORLE.encodeString(counts)) == counts)
        }
        #expect(COCORLE.decodeString("0n") == nil)  // value cut off
    }

    @Test("rect: half-open centre rule and clipping")
    func rect() throws {
        let mask = try Rasterizer.mask(for: [.rect(x: 0.5, y: 1, width: 2, height: 1.5)], width: 4, height: 4)
        // x: centres 0.5 ≤ cx < 2.5 → columns 0, 1; y: 1 ≤ cy < 2.5 → rows 1, 2 (cy = 1.5, 2.5? no: 2.5 is excluded).
        #expect(mask.bits == [0, 0, 0, 0,
                              1, 1, 0, 0,
                              0, 0, 0, 0,
                              0, 0, 0, 0].enumerated().map { $0.offset / 4 == 1 && $0.offset % 4 < 2 ? 1 : 0 })
        let clipped = try Rasterizer.mask(for: [.rect(x: -10, y: -10, width: 12, height: 1e9)], width: 4, height: 3)
        #expect(clipped.count == 6)
        #expect(clipped.bits == [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0])
    }

    @Test("polygon: non-zero winding fills the centre of a pentagram and a square traversed twice")
    func polygonWinding() throws {
        let star: [(Double, Double)] = [(50, 0), (79.4, 90.5), (2.4, 34.5), (97.6, 34.5), (20.6, 90.5)]
        let mask = try Rasterizer.mask(for: [.polygon(points: star)], width: 100, height: 100)
        #expect(mask.bits[50 * 100 + 50] == 1)  // winding 2 in the middle
        #expect(mask.bits[0] == 0)
        let square: [(Double, Double)] = [(1, 1), (4, 1), (4, 4), (1, 4), (1, 1), (4, 1), (4, 4), (1, 4)]
        let twice = try Rasterizer.mask(for: [.polygon(points: square)], width: 6, height: 6)
        #expect(twice.count == 9)
    }

    @Test("polygon: scanline fill equals the per-pixel definition on random polygons")
    func polygonMatchesDefinition() throws {
        var generator = InputRandom(seed: 11)
        for _ in 0..<40 {
            let count = 3 + Int(generator.next() % 9)
            let points: [(Double, Double)] = (0..<count).map { _ in
                let x = Double(generator.next() % 700) / 10 - 5
                let y = Double(generator.next() % 500) / 10 - 5
                return (x, y)
            }
            let mask = try Rasterizer.mask(for: [.polygon(points: points)], width: 60, height: 40)
            for y in 0..<40 {
                for x in 0..<60 {
                    let cx = Double(x) + 0.5, cy = Double(y) + 0.5
                    var winding = 0
                    for i in 0..<count {
                        let (x0, y0) = points[i], (x1, y1) = points[(i + 1) % count]
                        guard y0 != y1, min(y0, y1) <= cy, cy < max(y0, y1) else { continue }
                        let xi = x0 + ((cy - y0) * (x1 - x0)) / (y1 - y0)
                        if xi <= cx { winding += y1 > y0 ? 1 : -1 }
                    }
                    #expect(mask.bits[y * 60 + x] == (winding != 0 ? 1 : 0), "\(points) at \(x),\(y)")
                }
            }
        }
    }

    @Test("ellipse: scanline fill equals the per-pixel definition; positive angles turn clockwise on screen")
    func ellipse() throws {
        var generator = InputRandom(seed: 5)
        for _ in 0..<30 {
            let cx = Double(generator.next() % 800) / 10 - 10
            let cy = Double(generator.next() % 600) / 10 - 10
            let rx = Double(generator.next() % 400) / 10 + 0.3
            let ry = Double(generator.next() % 300) / 10 + 0.3
            let angle = Double(generator.next() % 720) - 360
            let mask = try Rasterizer.mask(for: [.ellipse(cx: cx, cy: cy, rx: rx, ry: ry, angle: angle)], width: 70, height: 50)
            let a = angle * Double.pi / 180
            for y in 0..<50 {
                for x in 0..<70 {
                    let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                    let u = dx * cos(a) + dy * sin(a), v = -dx * sin(a) + dy * cos(a)
                    let inside = (u / rx) * (u / rx) + (v / ry) * (v / ry) <= 1
                    #expect(mask.bits[y * 70 + x] == (inside ? 1 : 0))
                }
            }
        }
        // rx along +45° (clockwise on screen, y down): the pixel down-right of the centre is inside.
        let turned = try Rasterizer.mask(for: [.ellipse(cx: 50, cy: 50, rx: 40, ry: 5, angle: 45)], width: 100, height: 100)
        #expect(turned.bits[75 * 100 + 75] == 1)
        #expect(turned.bits[75 * 100 + 25] == 0)
    }

    @Test("mask RLE is column-major and must match the image size")
    func rleMask() throws {
        // size [2, 3] (H=2, W=3): runs 1 zero, 2 ones, 3 zeros → column-major pixels 1, 2 → (x0,y1), (x1,y0).
        let mask = try Rasterizer.mask(for: [.mask(height: 2, width: 3, counts: [1, 2, 3])], width: 3, height: 2)
        #expect(mask.bits == [0, 1, 0,
                              1, 0, 0])
        do {
            _ = try Rasterizer.mask(for: [.mask(height: 3, width: 2, counts: [1, 2, 3])], width: 3, height: 2)
            Issue.record("size mismatch accepted")
        } catch {
            #expect(error.code == .invalidRegion)
        }
    }

    @Test("validate names the empty region; a region partly inside is fine")
    func validate() throws {
        let noShapes = try parse(#"{"regions": [{"label": "nothing", "shapes": []}]}"#)
        #expect(throws: EngineError(.emptyRegion, "region 'nothing' is empty")) {
            try Rasterizer.validate(noShapes, width: 10, height: 10)
        }
        let set = try parse(#"{"regions": [{"label": "in", "shapes": [{"type": "rect", "x": -5, "y": -5, "width": 6, "height": 6}]}, {"label": "Out", "shapes": [{"type": "polygon", "points": [[50, 50], [60, 50], [55, 60]]}, {"type": "ellipse", "cx": -20, "cy": 5, "rx": 3, "ry": 3}, {"type": "mask", "size": [10, 10], "counts": [100]}]}]}"#)
        do {
            try Rasterizer.validate(set, width: 10, height: 10)
            Issue.record("empty region accepted")
        } catch {
            #expect(error.code == .emptyRegion)
            #expect(error.message == "region 'Out' is empty")
        }
        let masks = try Rasterizer.groupMasks(try parse(#"{"regions": [{"label": "in", "shapes": [{"type": "rect", "x": -5, "y": -5, "width": 6, "height": 6}]}]}"#), width: 10, height: 10)
        #expect(masks.map(\.count) == [1])
    }

    @Test("large images rasterise by spans (50 megapixels)")
    func largeImage() throws {
        let points: [(Double, Double)] = (0..<100).map { i in
            let a = Double(i) / 100 * 2 * Double.pi
            let r = i % 2 == 0 ? 3000.0 : 1200.0
            return (4300 + r * cos(a), 2900 + r * sin(a))
        }
        let mask = try Rasterizer.mask(for: [.polygon(points: points), .ellipse(cx: 100, cy: 100, rx: 50, ry: 20, angle: 10)],
                                       width: 8600, height: 5800)
        #expect(mask.count > 10_000_000)
        #expect(mask.bits[2900 * 8600 + 4300] == 1)
    }
}
