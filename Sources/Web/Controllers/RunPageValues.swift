import Engine
import Foundation
import Storage

/// View values shared by the prompt, run and comparison pages (mustache dictionaries).
enum RunPageValues {
    static func project(_ grant: ProjectAccess.Grant) -> [String: Any] {
        var permissions: [String: Any] = [:]
        for action in ProjectAction.allCases { permissions[action.rawValue] = grant.allows(action) }
        return [
            "project": [
                "id": grant.project.id.description, "name": grant.project.name,
                "description": grant.project.description,
            ] as [String: Any],
            "role": grant.role?.rawValue ?? "admin",
            "can": permissions,
        ]
    }

    static func format(_ value: Double?, digits: Int = 3) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.\(digits)f", value)
    }

    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.0f%%", value * 100)
    }

    static func date(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
            .timeSeparator(.colon)).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }

    /// `pass`/`fail`/`error`/`scoring` plus a CSS class and a label for a badge.
    static func verdict(_ status: String) -> [String: Any] {
        let label: String
        switch status {
        case "pass": label = "pass"
        case "fail": label = "fail"
        case "error": label = "not scorable"
        default: label = "scoring…"
        }
        return ["status": status, "label": label, "isPass": status == "pass", "isFail": status == "fail",
                "isError": status == "error", "isScoring": status == "scoring"]
    }

    static func status(score: RunScore?, beingScored: Bool) -> String {
        if beingScored || score == nil { return "scoring" }
        return score?.verdict ?? "scoring"
    }

    static func promptVersion(_ version: PromptVersion) -> [String: Any] {
        [
            "id": version.id.description, "promptID": version.promptID.description, "name": version.name,
            "text": version.text, "version": version.version, "runCount": version.runCount,
            "createdBy": version.createdByName ?? "—", "createdAt": date(version.createdAt),
        ]
    }

    static func runRow(_ run: Run, prompt: PromptVersion?, image: Image?, status: String) -> [String: Any] {
        [
            "id": run.id.description, "revision": run.revision, "model": run.modelName.isEmpty ? "—" : run.modelName,
            "createdAt": date(run.createdAt), "createdBy": run.createdByName ?? "—",
            "promptName": prompt?.name ?? "?", "promptVersion": prompt?.version ?? 0,
            "promptVersionID": run.promptVersionID.description,
            "imageName": image?.fileName ?? "?", "imageID": run.imageID.description,
            "latency": run.latencyMs.map { "\($0) ms" } ?? "—", "source": run.source.rawValue,
            "verdict": verdict(status),
        ]
    }

    /// The description split into plain and highlighted segments: every occurrence of a region's label or alias
    /// (scoring.md §5 mention rule: word boundaries, optional plural s/es, CJK as substring) is marked.
    static func highlightSegments(_ description: String, names: [(label: String, name: String)]) -> [[String: Any]] {
        var marks: [(range: Range<String.Index>, label: String)] = []
        for (label, name) in names {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let escaped = NSRegularExpression.escapedPattern(for: trimmed)
            let cjk = trimmed.unicodeScalars.contains { scalar in
                (0x3040...0x30FF).contains(scalar.value) || (0x3400...0x9FFF).contains(scalar.value)
                    || (0xF900...0xFAFF).contains(scalar.value) || (0x20000...0x2FA1F).contains(scalar.value)
            }
            let pattern = cjk ? escaped : #"(?<![\p{L}\p{N}_])"# + escaped + #"(?:s|es)?(?![\p{L}\p{N}_])"#
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            let whole = NSRange(description.startIndex..., in: description)
            for match in regex.matches(in: description, range: whole) {
                guard let range = Range(match.range, in: description) else { continue }
                if marks.contains(where: { $0.range.overlaps(range) }) { continue }
                marks.append((range, label))
            }
        }
        marks.sort { $0.range.lowerBound < $1.range.lowerBound }
        var segments: [[String: Any]] = []
        var cursor = description.startIndex
        for mark in marks {
            if cursor < mark.range.lowerBound {
                segments.append(["text": String(description[cursor..<mark.range.lowerBound]), "isMark": false])
            }
            segments.append(["text": String(description[mark.range]), "isMark": true, "label": mark.label])
            cursor = mark.range.upperBound
        }
        if cursor < description.endIndex {
            segments.append(["text": String(description[cursor...]), "isMark": false])
        }
        return segments
    }
}
