import Engine
import Foundation
import Storage

/// Renders the run page's panels with the engine (`OverlayRenderer`): the JET heatmap, the pytorch-grad-cam
/// blend and the region outlines. Grayscale variants use the same 50/50 blend formula with a gray ramp instead
/// of JET (the engine only ships JET). Synchronous and CPU-bound: callers run it on the thread pool.
public enum OverlayRendering {
    /// The PNG of one panel for the heatmap `label` of `snapshot`, drawn on `image` (the decoded original).
    public static func renderPNG(
        snapshot: ScoringSnapshot, label: String, panel: OverlayPanel, image: RGBImage
    ) throws(EngineError) -> [UInt8] {
        guard image.width == snapshot.imageWidth, image.height == snapshot.imageHeight else {
            throw EngineError(.unreadableImage, "decoded image size differs from the stored size")
        }
        var masks: [(kind: RegionKind, mask: Mask)] = []
        if panel.outlines, let version = snapshot.regionVersion {
            let regions = try RunScoring.parseRegions(version)
            let groupMasks = try Rasterizer.groupMasks(regions, width: image.width, height: image.height)
            masks = zip(regions.groups, groupMasks).map { ($0.kind, $1) }
        }
        var picture: RGBImage
        switch panel.kind {
        case .original:
            picture = image
        case .heatmap, .overlay:
            guard let raw = snapshot.heatmaps.first(where: { $0.heatmap.label == label }) else {
                throw EngineError(.unsupportedHeatmap, "no heatmap '\(label)' in this run")
            }
            let g = HeatmapNormalizer.normalize(raw.map, width: image.width, height: image.height)
            switch (panel.kind, panel.colormap) {
            case (.heatmap, .jet): picture = OverlayRenderer.heatmapImage(g)
            case (.heatmap, .gray): picture = grayImage(g)
            case (_, .jet): picture = try OverlayRenderer.blend(image: image, g: g)
            case (_, .gray): picture = blendGray(image: image, g: g)
            }
        }
        if !masks.isEmpty { OverlayRenderer.drawOutlines(on: &picture, masks: masks) }
        return ImageEncoder.png(picture)
    }

    /// `g` as a gray RGB image (`uint8(255·g)` in every channel).
    static func grayImage(_ g: FloatMap) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: g.values.count * 3)
        g.values.withUnsafeBufferPointer { gp in
            pixels.withUnsafeMutableBufferPointer { out in
                for i in 0..<gp.count {
                    let v = byte(255 * gp[i])
                    out[3 * i] = v
                    out[3 * i + 1] = v
                    out[3 * i + 2] = v
                }
            }
        }
        return RGBImage(width: g.width, height: g.height, pixels: pixels)
    }

    /// `show_cam_on_image` with a gray ramp: `cam = 0.5·gray + 0.5·img`, then `uint8(255·cam/max(cam))`.
    static func blendGray(image: RGBImage, g: FloatMap) -> RGBImage {
        let count = image.pixels.count
        var cam = [Float](repeating: 0, count: count)
        var maximum: Float = 0
        g.values.withUnsafeBufferPointer { gp in
            image.pixels.withUnsafeBufferPointer { ip in
                cam.withUnsafeMutableBufferPointer { cp in
                    for i in 0..<count {
                        let h = Float(byte(255 * gp[i / 3])) / 255
                        let c = 0.5 * h + 0.5 * (Float(ip[i]) / 255)
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
                    for i in 0..<count { out[i] = byte(255 * (cp[i] / maximum)) }
                }
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }

    @inline(__always)
    static func byte(_ v: Float) -> UInt8 {
        if !(v > 0) { return 0 }
        if v >= 255 { return 255 }
        return UInt8(v)
    }
}
