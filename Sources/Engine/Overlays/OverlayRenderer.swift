/// Renders heatmap overlays: the JET heatmap of `g`, the 50/50 blend exactly as pytorch-grad-cam's
/// `show_cam_on_image(img/255, g, use_rgb=True)`, region outlines (focus solid white, avoid dashed magenta) and the
/// three-panel image original | heatmap | overlay written by `sightline score --overlay-dir`.
public enum OverlayRenderer {
    /// Outline colour of focus regions (solid).
    public static let focusOutline: (UInt8, UInt8, UInt8) = (255, 255, 255)
    /// Outline colour of avoid regions (dashed).
    public static let avoidOutline: (UInt8, UInt8, UInt8) = (255, 0, 255)

    /// `cv2.applyColorMap(np.uint8(255 * g), COLORMAP_JET)` converted to RGB.
    public static func heatmapImage(_ g: FloatMap) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: g.width * g.height * 3)
        JETColormap.rgb.withUnsafeBufferPointer { lut in
            g.values.withUnsafeBufferPointer { gp in
                pixels.withUnsafeMutableBufferPointer { out in
                    for i in 0..<gp.count {
                        let k = Int(byte(gp[i])) * 3
                        out[3 * i] = lut[k]
                        out[3 * i + 1] = lut[k + 1]
                        out[3 * i + 2] = lut[k + 2]
                    }
                }
            }
        }
        return RGBImage(width: g.width, height: g.height, pixels: pixels)
    }

    /// `show_cam_on_image`: `cam = 0.5·heat + 0.5·img` (float32, both /255), then `uint8(255 · cam / max(cam))`.
    ///
    /// - Throws: `invalid_region` when the map and the image differ in size.
    public static func blend(image: RGBImage, g: FloatMap) throws(EngineError) -> RGBImage {
        guard image.width == g.width, image.height == g.height else {
            throw EngineError(.invalidRegion, "heatmap \(g.width)x\(g.height) != image \(image.width)x\(image.height)")
        }
        let heat = heatmapImage(g)
        let count = image.pixels.count
        var cam = [Float](repeating: 0, count: count)
        var maximum: Float = 0
        heat.pixels.withUnsafeBufferPointer { hp in
            image.pixels.withUnsafeBufferPointer { ip in
                cam.withUnsafeMutableBufferPointer { cp in
                    for i in 0..<count {
                        let h = Float(hp[i]) / 255
                        let v = Float(ip[i]) / 255
                        let c = 0.5 * h + 0.5 * v
                        cp[i] = c
                        maximum = max(maximum, c)
                    }
                }
            }
        }
        var pixels = [UInt8](repeating: 0, count: count)
        if maximum > 0 {
            cam.withUnsafeBufferPointer { cp in
                pixels.withUnsafeMutableBufferPointer { out in
                    for i in 0..<count {
                        out[i] = truncatedByte(255 * (cp[i] / maximum))
                    }
                }
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }

    /// Draws the outline (mask pixels with a 4-neighbour outside the mask or on the image border) of each region:
    /// focus regions solid, avoid regions dashed (8-pixel period along x + y).
    public static func drawOutlines(on image: inout RGBImage, masks: [(kind: RegionKind, mask: Mask)]) {
        let width = image.width, height = image.height
        for (kind, mask) in masks where mask.width == width && mask.height == height {
            let colour = kind == .avoid ? avoidOutline : focusOutline
            mask.bits.withUnsafeBufferPointer { mp in
                image.pixels.withUnsafeMutableBufferPointer { out in
                    for y in 0..<height {
                        for x in 0..<width where mp[y * width + x] != 0 {
                            let i = y * width + x
                            let edge = x == 0 || y == 0 || x == width - 1 || y == height - 1
                                || mp[i - 1] == 0 || mp[i + 1] == 0 || mp[i - width] == 0 || mp[i + width] == 0
                            if !edge { continue }
                            if kind == .avoid && ((x + y) / 4) % 2 == 1 { continue }
                            out[3 * i] = colour.0
                            out[3 * i + 1] = colour.1
                            out[3 * i + 2] = colour.2
                        }
                    }
                }
            }
        }
    }

    /// The three panels side by side (width `3·W`): original | JET heatmap | overlay, outlines on the last two.
    ///
    /// - Throws: `invalid_region` when `g` or a mask differs in size from the image.
    public static func threePanel(
        image: RGBImage, g: FloatMap, masks: [(kind: RegionKind, mask: Mask)]
    ) throws(EngineError) -> RGBImage {
        var heat = heatmapImage(g)
        var overlay = try blend(image: image, g: g)
        guard heat.width == image.width, heat.height == image.height else {
            throw EngineError(.invalidRegion, "heatmap size differs from image size")
        }
        drawOutlines(on: &heat, masks: masks)
        drawOutlines(on: &overlay, masks: masks)
        let width = image.width, height = image.height
        let row = width * 3
        var pixels = [UInt8](repeating: 0, count: row * 3 * height)
        pixels.withUnsafeMutableBufferPointer { out in
            for (panel, source) in [image, heat, overlay].enumerated() {
                source.pixels.withUnsafeBufferPointer { sp in
                    for y in 0..<height {
                        let dst = y * row * 3 + panel * row
                        let src = y * row
                        for k in 0..<row { out[dst + k] = sp[src + k] }
                    }
                }
            }
        }
        return RGBImage(width: width * 3, height: height, pixels: pixels)
    }

    /// The three-panel image encoded as PNG.
    public static func threePanelPNG(
        image: RGBImage, g: FloatMap, masks: [(kind: RegionKind, mask: Mask)]
    ) throws(EngineError) -> [UInt8] {
        ImageEncoder.png(try threePanel(image: image, g: g, masks: masks))
    }

    /// The overlay file name of a heatmap label: `LABEL.png`, with path separators and control characters
    /// replaced by `_` (and `_` for an empty, `.` or `..` label).
    public static func fileName(for label: String) -> String {
        var name = String(String.UnicodeScalarView(label.unicodeScalars.map { scalar in
            scalar == "/" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F ? "_" : scalar
        }))
        if name.isEmpty || name == "." || name == ".." { name = "_" + name }
        return name + ".png"
    }

    /// `np.uint8(255 * g)` for `g` in `[0, 1]` (float32 product, truncated; out-of-range values clamped).
    @inline(__always)
    static func byte(_ g: Float) -> UInt8 {
        truncatedByte(255 * g)
    }

    @inline(__always)
    static func truncatedByte(_ v: Float) -> UInt8 {
        if !(v > 0) { return 0 }
        if v >= 255 { return 255 }
        return UInt8(v)
    }
}
