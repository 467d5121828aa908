/// `sightline score --batch CASES.jsonl` (cli.md): one JSON object per line,
/// `{"id", "size": [W, H] | "image": PATH, "regions": {...}, "heatmaps": {LABEL: PATH}, "description"?,
/// "hot_threshold"?, "pointing_tolerance"?}`, paths relative to the `.jsonl` file's folder. Each line yields one
/// output line, in input order: the §6 diagnosis with its `id`, or `{"id", "error": {"code", "message"}}` for a bad
/// line (the other lines still run). Blank lines are skipped.
public enum BatchRunner {
    /// Exit status of a batch (cli.md): 2 when any line is bad, else 1 when any verdict fails, else 0.
    public enum Status: Int32, Sendable, Comparable {
        case pass = 0
        case fail = 1
        case bad = 2

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Runs a batch file, handing each output line (without newline) to `emit` as soon as it is ready.
    /// - Throws: `invalid_json` (with the path) when the batch file itself can't be read.
    public static func run(contentsOf path: String, emit: (String) -> Void) throws(EngineError) -> Status {
        let bytes = try ScoringJob.readFile(path, missing: .invalidJSON)
        return run(bytes, baseDirectory: directory(of: path), emit: emit)
    }

    /// Runs batch text (JSON lines); relative paths are resolved against `baseDirectory`.
    public static func run(_ bytes: [UInt8], baseDirectory: String, emit: (String) -> Void) -> Status {
        var status = Status.pass
        var start = 0
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        start = body.startIndex
        while start < body.endIndex {
            let end = body[start...].firstIndex(of: 0x0A) ?? body.endIndex
            let line = Array(body[start..<end])
            start = end < body.endIndex ? end + 1 : end
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let (output, lineStatus) = runLine(line, baseDirectory: baseDirectory)
            emit(JSONWriter.serialize(output))
            status = max(status, lineStatus)
        }
        return status
    }

    /// Scores one batch line: the output object and its status.
    public static func runLine(_ line: [UInt8], baseDirectory: String) -> (JSONValue, Status) {
        var id = JSONValue.null
        do throws(ScoringJobError) {
            let value: JSONValue
            do throws(EngineError) {
                value = try JSONParser.parse(line)
            } catch {
                throw ScoringJobError(path: nil, error: error)
            }
            id = value["id"] ?? .null
            let job = try makeJob(value, baseDirectory: baseDirectory)
            let diagnosis = try job.run().evaluation.diagnosis
            return (diagnosis.jsonValue(id: id), diagnosis.passed ? .pass : .fail)
        } catch {
            let object = JSONValue.object([
                ("id", id),
                ("error", .object([("code", .string(error.error.code.rawValue)), ("message", .string(error.message))])),
            ])
            return (object, .bad)
        }
    }

    /// Builds the job of one parsed line (structure problems of the line itself are `invalid_json`).
    static func makeJob(_ value: JSONValue, baseDirectory: String) throws(ScoringJobError) -> ScoringJob {
        func bad(_ message: String) -> ScoringJobError {
            ScoringJobError(path: nil, error: EngineError(.invalidJSON, message))
        }
        guard value.objectValue != nil else { throw bad("a batch line must be a JSON object") }
        var imagePath: String? = nil
        var size: (width: Int, height: Int)? = nil
        if let image = value["image"], !image.isNull {
            guard let path = image.stringValue else { throw bad("\"image\" must be a path") }
            imagePath = resolve(path, against: baseDirectory)
        } else if let sizeValue = value["size"], !sizeValue.isNull {
            guard let pair = sizeValue.arrayValue, pair.count == 2,
                  let w = pair[0].numberValue, let h = pair[1].numberValue,
                  w == w.rounded(), h == h.rounded(), w >= 1, h >= 1, w <= 1e9, h <= 1e9
            else { throw bad("\"size\" must be [W, H] with positive integers") }
            size = (Int(w), Int(h))
        } else {
            throw bad("a batch line needs \"size\" or \"image\"")
        }
        guard let regions = value["regions"] else { throw bad("a batch line needs \"regions\"") }
        guard let heatmapMembers = value["heatmaps"]?.objectValue else {
            throw bad("\"heatmaps\" must be an object {LABEL: PATH}")
        }
        var heatmaps: [(label: String, path: String)] = []
        var seen: Set<String> = []
        for (label, pathValue) in heatmapMembers {
            guard let path = pathValue.stringValue else { throw bad("heatmap '\(label)': the path must be a string") }
            guard seen.insert(MentionMatcher.labelKey(label)).inserted else {
                throw bad("heatmap label '\(label)' is given twice")
            }
            heatmaps.append((label, resolve(path, against: baseDirectory)))
        }
        var description: String? = nil
        if let d = value["description"], !d.isNull {
            guard let text = d.stringValue else { throw bad("\"description\" must be a string") }
            description = text
        }
        var options = ScoringOptions()
        if let t = value["hot_threshold"], !t.isNull {
            guard let number = t.numberValue else { throw bad("\"hot_threshold\" must be a number") }
            options.hotThreshold = number
        }
        if let t = value["pointing_tolerance"], !t.isNull {
            guard let number = t.numberValue, number >= 0 else {
                throw bad("\"pointing_tolerance\" must be a number ≥ 0")
            }
            options.pointingTolerance = number
        }
        var job = ScoringJob(
            imagePath: imagePath, size: size, regions: .value(regions), heatmaps: heatmaps,
            description: description, options: options)
        job.keepMaps = false
        return job
    }

    /// `path` if absolute, else `base/path`.
    public static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") || base.isEmpty { return path }
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }

    /// The folder part of a path (`"."` when there is none).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}
