import Engine
import Testing

/// Overlay rendering: OpenCV COLORMAP_JET values, pytorch-grad-cam's show_cam_on_image blend, outlines, panels.
@Suite("Overlays")
struct OverlayTests {
    @Test("JET lookup table matches cv2.applyColorMap(COLORMAP_JET) at known indices (RGB)")
    func jetValues() {
        // Values printed by OpenCV 5.0: cv2.applyColorMap(np.arange(256, dtype=np.uint8)[None], COLORMAP_JET)[..., ::-1]
        let known: [(UInt8, [UInt8])] = [
            (0, [0, 0, 128]), (32, [0, 0, 255]), (64, [0, 128, 255]), (96, [2, 255, 254]), (127, [126, 255, 130]),
            (128, [130, 255, 126]), (160, [255, 252, 0]), (191, [255, 128, 0]), (224, [252, 0, 0]), (255, [128, 0, 0]),
        ]
        for (index, rgb) in known {
            let c = JETColormap.color(index)
            #expect([c.r, c.g, c.b] == rgb, "index \(index)")
        }
        #expect(JETColormap.rgb.count == 768)
    }

    @Test("heatmap colours use uint8(255·g) (truncation)")
    func heatmapImage() {
        let g = FloatMap(width: 3, height: 1, values: [0, 0.5, 0.9999999])
        let image = OverlayRenderer.heatmapImage(g)
        #expect(Array(image.pixels[0..<3]) == [0, 0, 128])
        #expect(Array(image.pixels[3..<6]) == [126, 255, 130])  // 127.5 → 127
        let c = JETColormap.color(254)
        #expect(Array(image.pixels[6..<9]) == [c.r, c.g, c.b])  // 254.99997 → 254
    }

    @Test("blend equals show_cam_on_image(img/255, g, use_rgb=True) computed by pytorch-grad-cam 1.5.7 code")
    func blend() throws {
        let image = RGBImage(width: 2, height: 2, pixels: [10, 200, 30, 255, 255, 255, 0, 0, 0, 128, 64, 32])
        let g = FloatMap(width: 2, height: 2, values: [0, 0.25, 0.5, 0.999])
        let out = try OverlayRenderer.blend(image: image, g: g)
        // Reference: numpy + cv2 running show_cam_on_image's lines (see the test's doc).
        #expect(out.pixels == [5, 100, 79, 127, 189, 255, 63, 127, 65, 130, 32, 16])
        #expect(throws: EngineError.self) { try OverlayRenderer.blend(image: image, g: FloatMap(width: 1, height: 1, values: [0])) }
    }

    @Test("outlines: focus solid, avoid dashed; three panels side by side")
    func outlinesAndPanels() throws {
        let w = 20, h = 12
        let image = RGBImage(width: w, height: h, pixels: [UInt8](repeating: 40, count: w * h * 3))
        let g = FloatMap(width: w, height: h, values: [Float](repeating: 0, count: w * h))
        var focus = Mask(width: w, height: h), avoid = Mask(width: w, height: h)
        for y in 2..<8 { for x in 2..<8 { focus.bits[y * w + x] = 1 } }
        for y in 0..<h { for x in 10..<20 { avoid.bits[y * w + x] = 1 } }
        let panel = try OverlayRenderer.threePanel(image: image, g: g, masks: [(.focus, focus), (.avoid, avoid)])
        #expect(panel.width == 3 * w && panel.height == h)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(panel.pixels[(y * 3 * w + x) * 3..<(y * 3 * w + x) * 3 + 3]) }
        #expect(pixel(2, 2) == [40, 40, 40])  // left panel untouched
        #expect(pixel(w + 2, 2) == [255, 255, 255])  // focus outline on the heatmap panel
        #expect(pixel(w + 4, 4) == [0, 0, 128])  // inside: JET(0)
        #expect(pixel(2 * w + 2, 5) == [255, 255, 255])  // focus outline on the overlay panel
        // Avoid outline along the top edge (y = 0): dashed, so both magenta and non-magenta pixels occur.
        let top = (10..<20).map { pixel(w + $0, 0) }
        #expect(top.contains([255, 0, 255]))
        #expect(top.contains { $0 != [255, 0, 255] })
    }

    @Test("overlay file names are safe")
    func fileNames() {
        #expect(OverlayRenderer.fileName(for: "cat") == "cat.png")
        #expect(OverlayRenderer.fileName(for: "a/b") == "a_b.png")
        #expect(OverlayRenderer.fileName(for: "..") == "_...png")
        #expect(OverlayRenderer.fileName(for: "") == "_.png")
    }
}
