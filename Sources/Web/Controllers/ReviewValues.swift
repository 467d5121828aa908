import Foundation
import Storage

/// Mustache values for the review page, the sign-off list and the report.
enum ReviewValues {
    static func statusValues(_ state: SignOffState) -> [String: Any] {
        var values: [String: Any] = [
            "status": state.status.rawValue,
            "statusLabel": statusLabel(state.status),
            "isApproved": state.status == .approved, "isRejected": state.status == .rejected,
            "isStale": state.status == .stale, "isPending": state.status == .pending,
            "currentDigest": state.currentDigest, "shortDigest": String(state.currentDigest.prefix(12)),
            "openScoringJobs": state.openScoringJobs, "isScoring": state.openScoringJobs > 0,
            "changes": state.changes.map { ["kind": $0.kind, "message": $0.message, "image": $0.imageName] },
            "hasChanges": !state.changes.isEmpty,
        ]
        if let latest = state.latest { values["latest"] = signOffValues(latest) }
        return values
    }

    static func statusLabel(_ status: SignOffStatus) -> String {
        switch status {
        case .approved: "Approved"
        case .rejected: "Rejected"
        case .stale: "Stale — changed since sign-off"
        case .pending: "Not signed off"
        }
    }

    static func signOffValues(_ signOff: SignOff) -> [String: Any] {
        [
            "id": signOff.id.description, "sequence": signOff.sequence, "reviewer": signOff.reviewerName,
            "decision": signOff.decision.rawValue,
            "decisionLabel": signOff.decision == .approve ? "approved" : "rejected",
            "isApprove": signOff.decision == .approve,
            "comment": signOff.comment, "hasComment": !signOff.comment.isEmpty, "override": signOff.override,
            "digest": signOff.digest, "shortDigest": String(signOff.digest.prefix(12)),
            "createdAt": DesignPageValues.formatDate(signOff.createdAt),
            "reportURL": "/projects/\(signOff.projectID)/signoffs/\(signOff.id)/report",
            "reportJSONURL": "/projects/\(signOff.projectID)/signoffs/\(signOff.id)/report.json",
        ]
    }

    static func versionValues(_ version: PromptVersion) -> [String: Any] {
        [
            "id": version.id.description, "name": version.name, "version": version.version, "text": version.text,
            "createdBy": version.createdByName ?? "unknown", "createdAt": DesignPageValues.formatDate(version.createdAt),
            "reviewURL": "/projects/\(version.projectID)/prompt-versions/\(version.id)/review",
        ]
    }

    static func summaryValues(_ summary: ReviewModel.Summary) -> [String: Any] {
        [
            "images": summary.images, "withRun": summary.withRun, "withoutRun": summary.withoutRun,
            "scored": summary.scored, "passed": summary.passed, "failed": summary.failed, "errored": summary.errored,
            "beingScored": summary.beingScored, "regionsWithoutHeatmap": summary.regionsWithoutHeatmap,
            "openComments": summary.openComments, "passRate": ReviewModel.formatPercent(summary.passRate),
        ]
    }

    /// The URL of one panel PNG of a run.
    static func panelURL(projectID: Project.ID, runID: Run.ID, label: String, slug: String) -> String {
        let encoded = label.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "_"
        return "/projects/\(projectID)/review/runs/\(runID)/panels/\(encoded.isEmpty ? "_" : encoded)/\(slug).png"
    }

    static func rowValues(_ row: ReviewModel.ImageRow, projectID: Project.ID, returnTo: String) -> [String: Any] {
        let image = row.image
        var values: [String: Any] = [
            "imageID": image.id.description, "fileName": image.fileName.isEmpty ? "(no name)" : image.fileName,
            "width": image.width, "height": image.height,
            "verdict": row.verdict, "verdictLabel": verdictLabel(row.verdict),
            "isFailure": row.verdict == "fail" || row.verdict == "error",
            "hasRun": row.run != nil,
            "regionsVersion": row.regionsVersion.map { "v\($0)" } ?? "none",
            "regionsWithoutHeatmap": row.regionsWithoutHeatmap.joined(separator: ", "),
            "hasMissingRegions": !row.regionsWithoutHeatmap.isEmpty,
            "thumbnailURL": "/projects/\(projectID)/images/\(image.id)/thumbnail",
        ]
        if let score = row.score {
            values["engineVersion"] = score.engineVersion
            // Only a run the engine could not score has an error (an empty string would still open the section).
            if let message = score.errorMessage, !message.isEmpty {
                values["errorMessage"] = message
                values["errorCode"] = score.errorCode ?? ""
            }
        }
        if let suggestion = row.promptSuggestion, !suggestion.isEmpty { values["promptSuggestion"] = suggestion }
        values["keywords"] = row.keywords.map { keyword -> [String: Any] in
            [
                "label": keyword.label, "kind": keyword.kind, "verdict": keyword.verdict, "drift": keyword.drift,
                "isPass": keyword.verdict == "pass",
                "mentioned": keyword.mentioned.map { $0 ? "yes" : "no" } ?? "–",
                "energy": ReviewModel.formatNumber(keyword.energy), "coverage": ReviewModel.formatNumber(keyword.coverage),
                "iou": ReviewModel.formatNumber(keyword.iou), "auc": ReviewModel.formatNumber(keyword.auc),
                "pointing": keyword.pointing.map { $0 ? "hit" : "miss" } ?? "–",
            ]
        }
        if let run = row.run {
            let radius = max(Double(max(image.width, image.height)) / 60, 2)
            values["run"] = [
                "id": run.id.description, "revision": run.revision, "model": run.modelName,
                "description": run.description ?? "", "hasDescription": !(run.description ?? "").isEmpty,
                "createdBy": run.createdByName ?? "unknown", "createdAt": DesignPageValues.formatDate(run.createdAt),
                "originalURL": panelURL(projectID: projectID, runID: run.id, label: "", slug: "original-outlines"),
                "commentAction": "/projects/\(projectID)/runs/\(run.id)/comments",
                "commentsURL": "/projects/\(projectID)/runs/\(run.id)/comments",
            ] as [String: Any]
            values["panels"] = ReviewModel.orderedLabels(row).map { label -> [String: Any] in
                [
                    "label": label,
                    "originalURL": panelURL(projectID: projectID, runID: run.id, label: label, slug: "original-outlines"),
                    "heatmapURL": panelURL(projectID: projectID, runID: run.id, label: label, slug: "heatmap-jet-outlines"),
                    "overlayURL": panelURL(projectID: projectID, runID: run.id, label: label, slug: "overlay-jet-outlines"),
                ]
            }
            values["labelOptions"] = row.heatmapLabels.map { ["label": $0] }
            values["pinRadius"] = String(format: "%.1f", radius)
            values["pinFont"] = String(format: "%.1f", radius * 1.4)
        }
        values["comments"] = row.comments.enumerated().map { index, comment in
            commentValues(comment, number: index + 1, projectID: projectID, returnTo: returnTo)
        }
        values["hasComments"] = !row.comments.isEmpty
        values["hasKeywords"] = !row.keywords.isEmpty
        values["returnTo"] = returnTo
        return values
    }

    static func commentValues(_ comment: ReviewComment, number: Int, projectID: Project.ID, returnTo: String)
        -> [String: Any]
    {
        let base = "/projects/\(projectID)/comments/\(comment.id)"
        return [
            "id": comment.id.description, "number": number, "body": comment.body, "label": comment.label,
            "hasLabel": !comment.label.isEmpty,
            "isBox": comment.shape == .box, "isPoint": comment.shape == .point,
            "x": format(comment.x), "y": format(comment.y), "width": format(comment.width),
            "height": format(comment.height),
            "textX": format(comment.x + (comment.shape == .box ? 2 : 0)),
            "textY": format(comment.y + (comment.shape == .box ? 0 : 0)),
            "position": comment.shape == .box
                ? "box \(format(comment.x)), \(format(comment.y)), \(format(comment.width))×\(format(comment.height)) px"
                : "point \(format(comment.x)), \(format(comment.y)) px",
            "status": comment.status.rawValue, "isOpen": comment.status == .open,
            "author": comment.createdByName ?? "unknown", "createdAt": DesignPageValues.formatDate(comment.createdAt),
            "statusChangedBy": comment.statusChangedByName ?? "",
            "rowVersion": comment.rowVersion,
            "replies": comment.replies.map {
                ["body": $0.body, "author": $0.createdByName ?? "unknown", "createdAt": DesignPageValues.formatDate($0.createdAt)]
            },
            "replyAction": "\(base)/replies", "resolveAction": "\(base)/resolve", "reopenAction": "\(base)/reopen",
            "returnTo": returnTo, "runID": comment.runID.description, "imageID": comment.imageID.description,
        ]
    }

    static func verdictLabel(_ verdict: String) -> String {
        switch verdict {
        case "pass": "pass"
        case "fail": "fail"
        case "error": "error (not scorable)"
        case "scoring": "being scored…"
        default: "no run"
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
