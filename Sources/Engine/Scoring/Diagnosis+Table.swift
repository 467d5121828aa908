extension Diagnosis {
    /// A human-readable table of the diagnosis (`sightline score --format table`); numbers rounded for display.
    public func tableText() -> String {
        func fmt(_ v: Double?) -> String {
            guard let v, v.isFinite else { return "-" }
            let scaled = (v * 1000).rounded() / 1000
            var s = "\(scaled)"
            if let dot = s.firstIndex(of: ".") {
                let decimals = s.distance(from: dot, to: s.endIndex) - 1
                if decimals < 3 { s += String(repeating: "0", count: 3 - decimals) }
            }
            return s
        }
        func yesNo(_ v: Bool?) -> String { v.map { $0 ? "yes" : "no" } ?? "-" }
        let header = ["label", "kind", "verdict", "drift", "mentioned", "energy", "coverage", "iou", "hot_area",
                      "pointing", "rank", "auc", "spread", "region"]
        var rows = [header]
        for r in regions {
            let m = r.metrics
            rows.append([
                r.label, r.kind.rawValue, r.passed ? "pass" : "FAIL", r.drift.rawValue, yesNo(r.mentioned),
                fmt(m?.energyRatio), fmt(m?.coverage), fmt(m?.iou), fmt(m?.hotArea), yesNo(m?.pointingGame),
                fmt(m?.rankAccuracy), fmt(m?.auc), fmt(m?.spread), m?.direction ?? "-",
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        var out = "image \(width)x\(height)   verdict: \(passed ? "PASS" : "FAIL")\n"
        if let description { out += "description: \(description)\n" }
        out += "\n"
        for row in rows {
            let cells = row.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        if !suggestions.isEmpty {
            out += "\nsuggestions:\n"
            for s in suggestions {
                let tag = [s.label, s.drift?.rawValue, s.technique?.rawValue].compactMap { $0 }.joined(separator: ", ")
                out += "  - [\(tag)] \(s.text)\n"
            }
        }
        if let promptSuggestion { out += "\nprompt suggestion: \(promptSuggestion)\n" }
        if !unmatchedHeatmaps.isEmpty { out += "\nunmatched heatmaps: \(unmatchedHeatmaps.joined(separator: ", "))\n" }
        return out
    }
}
