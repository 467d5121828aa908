/// One difference between what a sign-off reviewed and the data now ("what changed" of a stale sign-off).
public struct DigestChange: Sendable, Equatable, Codable {
    /// `prompt`, `thresholds`, `image_added`, `image_removed`, `regions`, `run`, `model`, `heatmap`,
    /// `engine_version`, `score_thresholds` or `verdict`.
    public var kind: String
    /// The image concerned (empty for prompt and project-wide changes).
    public var imageID: String
    public var imageName: String
    /// A sentence for people.
    public var message: String

    enum CodingKeys: String, CodingKey {
        case kind, message
        case imageID = "image_id"
        case imageName = "image"
    }

    public init(kind: String, imageID: String = "", imageName: String = "", message: String) {
        self.kind = kind
        self.imageID = imageID
        self.imageName = imageName
        self.message = message
    }

    /// Every difference from `reviewed` to `current`, prompt and project first, then images by name.
    public static func listChanges(from reviewed: ReviewDigestInput, to current: ReviewDigestInput) -> [DigestChange] {
        var changes: [DigestChange] = []
        if reviewed.prompt.text != current.prompt.text {
            changes.append(DigestChange(kind: "prompt", message: "The prompt text changed."))
        }
        if reviewed.prompt.name != current.prompt.name {
            changes.append(
                DigestChange(kind: "prompt", message: "The prompt was renamed from \"\(reviewed.prompt.name)\" to \"\(current.prompt.name)\"."))
        }
        if reviewed.projectThresholds != current.projectThresholds {
            changes.append(
                DigestChange(
                    kind: "thresholds",
                    message: "Project thresholds changed: \(describe(reviewed.projectThresholds)) → \(describe(current.projectThresholds))."))
        }
        if reviewed.format != current.format {
            changes.append(DigestChange(kind: "format", message: "The digest format changed (server upgrade)."))
        }
        let old = Dictionary(reviewed.images.map { ($0.imageID, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(current.images.map { ($0.imageID, $0) }, uniquingKeysWith: { first, _ in first })
        var imageChanges: [DigestChange] = []
        for image in current.images where old[image.imageID] == nil {
            imageChanges.append(
                DigestChange(kind: "image_added", imageID: image.imageID, imageName: image.fileName,
                             message: "Image \(image.fileName) was added to the project."))
        }
        for image in reviewed.images where new[image.imageID] == nil {
            imageChanges.append(
                DigestChange(kind: "image_removed", imageID: image.imageID, imageName: image.fileName,
                             message: "Image \(image.fileName) was removed from the project."))
        }
        for before in reviewed.images {
            guard let after = new[before.imageID] else { continue }
            imageChanges += compareImage(before, after)
        }
        imageChanges.sort { ($0.imageName, $0.imageID) < ($1.imageName, $1.imageID) }
        return changes + imageChanges
    }

    static func compareImage(
        _ before: ReviewDigestInput.ImageEntry, _ after: ReviewDigestInput.ImageEntry
    ) -> [DigestChange] {
        var changes: [DigestChange] = []
        func add(_ kind: String, _ message: String) {
            changes.append(DigestChange(kind: kind, imageID: after.imageID, imageName: after.fileName, message: message))
        }
        let name = after.fileName.isEmpty ? after.imageID : after.fileName
        if before.regions != after.regions {
            let from = before.regions.map { "v\($0.version)" } ?? "none"
            let to = after.regions.map { "v\($0.version)" } ?? "none"
            add("regions", "Regions of \(name) changed: \(from) → \(to).")
        }
        switch (before.run, after.run) {
        case (nil, nil):
            break
        case (nil, .some(let run)):
            add("run", "\(name) got a run (revision \(run.revision)).")
        case (.some, nil):
            add("run", "The run of \(name) is gone.")
        case (.some(let old), .some(let new)):
            if old.id != new.id {
                add("run", old.lineageID == new.lineageID
                    ? "The run of \(name) has a new revision: \(old.revision) → \(new.revision)."
                    : "\(name) has a newer run.")
            }
            if old.modelName != new.modelName {
                add("model", "Model of \(name): \(old.modelName) → \(new.modelName).")
            }
            let oldMaps = Dictionary(old.heatmaps.map { ($0.label, $0.sha256) }, uniquingKeysWith: { first, _ in first })
            let newMaps = Dictionary(new.heatmaps.map { ($0.label, $0.sha256) }, uniquingKeysWith: { first, _ in first })
            for label in Set(oldMaps.keys).union(newMaps.keys).sorted() where oldMaps[label] != newMaps[label] {
                switch (oldMaps[label], newMaps[label]) {
                case (nil, _): add("heatmap", "Heatmap '\(label)' of \(name) was added.")
                case (_, nil): add("heatmap", "Heatmap '\(label)' of \(name) was removed.")
                default: add("heatmap", "Heatmap '\(label)' of \(name) was replaced.")
                }
            }
            switch (old.score, new.score) {
            case (.some(let a), .some(let b)):
                if a.engineVersion != b.engineVersion {
                    add("engine_version", "\(name) was scored by \(b.engineVersion) (was \(a.engineVersion)).")
                }
                if a.thresholds != b.thresholds {
                    add("score_thresholds", "\(name) was scored with other thresholds.")
                }
                if a.verdict != b.verdict {
                    add("verdict", "Verdict of \(name): \(a.verdict) → \(b.verdict).")
                }
            case (.some, nil):
                add("verdict", "\(name) is not scored any more.")
            case (nil, .some(let b)):
                add("verdict", "\(name) is now scored: \(b.verdict).")
            case (nil, nil):
                break
            }
        }
        return changes
    }

    static func describe(_ t: ReviewDigestInput.Thresholds) -> String {
        "min energy \(t.minEnergy), min coverage \(t.minCoverage), max energy \(t.maxEnergy), hot \(t.hotThreshold)"
    }
}
