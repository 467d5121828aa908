import Engine
import Foundation
import NIOCore
import NIOPosix
import Storage

/// Serves the run page's panel PNGs: rendered once by the engine on the thread pool, then cached in
/// `run_overlays` under a key that includes the regions version (outlines) and the engine version.
public struct OverlayService: Sendable {
    let scoring: ScoringRepository
    let images: ImageRepository

    public init(scoring: ScoringRepository, images: ImageRepository) {
        self.scoring = scoring
        self.images = images
    }

    /// The PNG, or `nil` when the run, its image or the keyword does not exist.
    public func fetchPanelPNG(runID: Run.ID, label: String, panel: OverlayPanel) async throws -> ByteBuffer? {
        guard let snapshot = try await scoring.fetchScoringSnapshot(runID: runID) else { return nil }
        if panel.kind != .original, !snapshot.heatmaps.contains(where: { $0.heatmap.label == label }) { return nil }
        let regionKey = panel.outlines ? snapshot.regionVersion?.id.description ?? "none" : "none"
        let key = "\(EngineVersion.current)|\(panel.slug)|\(regionKey)|\(panel.kind == .original ? "" : label)"
        if let cached = try await scoring.findOverlay(runID: runID, cacheKey: key) { return cached }
        guard let original = try await images.fetchOriginal(imageID: snapshot.run.imageID) else { return nil }
        let bytes = Array(original.readableBytesView)
        let png: [UInt8] = try await NIOThreadPool.singleton.runIfActive {
            let image = try ImageDecoder.decode(bytes)
            return try OverlayRendering.renderPNG(snapshot: snapshot, label: label, panel: panel, image: image)
        }
        let buffer = ByteBuffer(bytes: png)
        try await scoring.storeOverlay(runID: runID, cacheKey: key, png: buffer)
        return buffer
    }
}
