/// Which picture of a run's keyword the overlay endpoint renders.
public struct OverlayPanel: Sendable, Hashable {
    /// `original` (the image, outlines optional), `heatmap` (the colour-mapped `g`) or `overlay` (the blend).
    public enum Kind: String, Sendable, CaseIterable { case original, heatmap, overlay }
    /// `jet` (OpenCV COLORMAP_JET, as pytorch-grad-cam) or `gray`.
    public enum Colormap: String, Sendable, CaseIterable { case jet, gray }

    public var kind: Kind
    public var colormap: Colormap
    public var outlines: Bool

    public init(kind: Kind, colormap: Colormap = .jet, outlines: Bool = true) {
        self.kind = kind
        self.colormap = colormap
        self.outlines = outlines
    }

    /// Parses `overlay-jet-outlines`, `heatmap-gray-plain`, `original-outlines`, … (the URL segment).
    public init?(slug: String) {
        let parts = slug.split(separator: "-").map(String.init)
        guard let first = parts.first, let kind = Kind(rawValue: first) else { return nil }
        var colormap = Colormap.jet
        var outlines = true
        for part in parts.dropFirst() {
            if let value = Colormap(rawValue: part) {
                colormap = value
            } else if part == "outlines" {
                outlines = true
            } else if part == "plain" {
                outlines = false
            } else {
                return nil
            }
        }
        self.init(kind: kind, colormap: kind == .original ? .jet : colormap, outlines: outlines)
    }

    /// The canonical URL segment.
    public var slug: String {
        kind == .original
            ? "original-\(outlines ? "outlines" : "plain")"
            : "\(kind.rawValue)-\(colormap.rawValue)-\(outlines ? "outlines" : "plain")"
    }
}
