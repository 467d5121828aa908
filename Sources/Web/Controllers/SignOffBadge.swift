import Foundation
import Storage

/// A small SVG listing sign-off states (prompt name, version, status), for pages that embed it with
/// `<img src=…>` (the project page) without computing the states themselves.
enum SignOffBadge {
    static func escapeXML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    static func colors(_ status: SignOffStatus) -> (fill: String, text: String) {
        switch status {
        case .approved: ("#d9f2df", "#145a27")
        case .rejected: ("#f9dcdc", "#7a1717")
        case .stale: ("#fff0c2", "#6b4b00")
        case .pending: ("#e8e8ec", "#333333")
        }
    }

    /// One row per (prompt version, state).
    static func renderSVG(_ rows: [(version: PromptVersion, state: SignOffState)]) -> String {
        let rowHeight = 26
        let height = max(rows.count, 1) * rowHeight + 8
        var body = ""
        if rows.isEmpty {
            body += ##"<text x="8" y="21" fill="#555">No prompt versions yet.</text>"##
        }
        for (index, row) in rows.enumerated() {
            let y = 4 + index * rowHeight
            let (fill, text) = colors(row.state.status)
            var name = "\(row.version.name) v\(row.version.version)"
            if name.count > 48 { name = String(name.prefix(47)) + "…" }
            let label = ReviewValues.statusLabel(row.state.status)
            body += """
                <text x="8" y="\(y + 17)" fill="#222">\(escapeXML(name))</text>\
                <rect x="330" y="\(y + 2)" width="230" height="20" rx="10" fill="\(fill)"/>\
                <text x="445" y="\(y + 16)" fill="\(text)" text-anchor="middle" font-weight="600">\(escapeXML(label))</text>
                """
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="570" height="\(height)" viewBox="0 0 570 \(height)" \
            font-family="system-ui, sans-serif" font-size="13">\(body)</svg>
            """
    }
}
