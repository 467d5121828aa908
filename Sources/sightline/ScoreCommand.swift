import ArgumentParser
import Engine
import Foundation

/// `sightline score`: scores heatmaps against regions offline (cli.md). Exit status 0 every region passes,
/// 1 some verdict fails, 2 bad input or usage (message on stderr naming the file and the problem).
/// The work is done by `Engine` (`ScoringJob`, `BatchRunner`, `OverlayRenderer`); this is argument handling only.
struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score heatmaps against annotated image regions (offline, no server needed).",
        discussion: """
            sightline score (--image FILE | --size WxH) --regions REGIONS.json --heatmap LABEL=FILE [...]
                            [--description TEXT | --description-file FILE] [--hot-threshold 0.5]
                            [--pointing-tolerance 15] [--overlay-dir DIR] [--format json|table]
            sightline score --batch CASES.jsonl [--format jsonl]
            """
    )

    @Option(name: .customLong("image"), help: "Image file (JPEG/PNG); its display size is the scoring size.")
    var image: String?

    @Option(name: .customLong("size"), help: "Image size WxH when no image is given.")
    var size: String?

    @Option(name: .customLong("regions"), help: "REGIONS.json file.")
    var regions: String?

    @Option(name: .customLong("heatmap"), help: "LABEL=FILE (.npy, .png or .json); repeat per label.")
    var heatmaps: [String] = []

    @Option(name: .customLong("description"), help: "The prompt/description text.")
    var descriptionText: String?

    @Option(name: .customLong("description-file"), help: "File holding the description (UTF-8).")
    var descriptionFile: String?

    @Option(name: .customLong("hot-threshold"), help: "Hot threshold τ (default 0.5).")
    var hotThreshold: String?

    @Option(name: .customLong("pointing-tolerance"), help: "Pointing-game tolerance in pixels (default 15).")
    var pointingTolerance: String?

    @Option(name: .customLong("overlay-dir"), help: "Write LABEL.png overlays here (needs --image).")
    var overlayDir: String?

    @Option(name: .customLong("format"), help: "json (default) or table; jsonl with --batch.")
    var format: String?

    @Option(name: .customLong("batch"), help: "CASES.jsonl: one scoring job per line.")
    var batch: String?

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unrecognized: [String] = []

    func run() async throws {
        if !unrecognized.isEmpty { usage("unexpected argument(s): \(unrecognized.joined(separator: " "))") }
        if let batch { try runBatch(batch) } else { try runSingle() }
    }

    private func runBatch(_ path: String) throws {
        if image != nil || size != nil || regions != nil || !heatmaps.isEmpty || descriptionText != nil
            || descriptionFile != nil || hotThreshold != nil || pointingTolerance != nil || overlayDir != nil
        {
            usage("--batch takes no other option than --format jsonl")
        }
        if let format, format != "jsonl" { usage("--format must be jsonl with --batch") }
        let status: BatchRunner.Status
        do {
            status = try BatchRunner.run(contentsOf: path) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch {
            fail("\(path): \(error.message)")
        }
        if status != .pass { throw ExitCode(status.rawValue) }
    }

    private func runSingle() throws {
        let outputFormat = format ?? "json"
        guard outputFormat == "json" || outputFormat == "table" else { usage("--format must be json or table") }
        if image != nil && size != nil { usage("give either --image or --size, not both") }
        if image == nil && size == nil { usage("missing --image FILE or --size WxH") }
        guard let regions else { usage("missing --regions REGIONS.json") }
        if heatmaps.isEmpty { usage("missing --heatmap LABEL=FILE") }
        if descriptionText != nil && descriptionFile != nil { usage("give either --description or --description-file") }
        if overlayDir != nil && image == nil { usage("--overlay-dir needs --image") }

        var parsedSize: (width: Int, height: Int)? = nil
        if let size {
            let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
            guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else {
                usage("--size must be WxH with positive integers, got '\(size)'")
            }
            parsedSize = (w, h)
        }
        var pairs: [(label: String, path: String)] = []
        var seen: Set<String> = []
        for item in heatmaps {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex, item.index(after: eq) != item.endIndex
            else { usage("--heatmap must be LABEL=FILE, got '\(item)'") }
            let label = String(item[..<eq]), path = String(item[item.index(after: eq)...])
            let key = label.trimmingCharacters(in: .whitespaces).lowercased()
            guard !key.isEmpty else { usage("--heatmap '\(item)': empty label") }
            guard seen.insert(key).inserted else { usage("--heatmap label '\(label)' is given twice") }
            pairs.append((label, path))
        }
        var options = ScoringOptions()
        if let hotThreshold {
            guard let t = Double(hotThreshold), t.isFinite else { usage("--hot-threshold must be a number") }
            options.hotThreshold = t
        }
        if let pointingTolerance {
            guard let t = Double(pointingTolerance), t.isFinite, t >= 0 else {
                usage("--pointing-tolerance must be a number ≥ 0")
            }
            options.pointingTolerance = t
        }
        var description = descriptionText
        if let descriptionFile {
            guard let data = FileManager.default.contents(atPath: descriptionFile),
                  let text = String(data: data, encoding: .utf8)
            else { fail("\(descriptionFile): cannot read the description file (UTF-8 text expected)") }
            description = text.hasSuffix("\n") ? String(text.dropLast()) : text
        }

        var job = ScoringJob(
            imagePath: image, size: parsedSize, regions: .file(regions), heatmaps: pairs,
            description: description, options: options)
        job.keepMaps = overlayDir != nil
        let result: (evaluation: ScoringEvaluation, image: RGBImage?)
        do {
            result = try job.run()
        } catch {
            fail("\(error.error.code.rawValue): \(error.message)")
        }
        let diagnosis = result.evaluation.diagnosis

        if let overlayDir, let picture = result.image {
            writeOverlays(result.evaluation, image: picture, to: overlayDir)
        }
        let text = outputFormat == "table" ? diagnosis.tableText() : diagnosis.jsonText() + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
        if !diagnosis.passed { throw ExitCode(1) }
    }

    private func writeOverlays(_ evaluation: ScoringEvaluation, image: RGBImage, to directory: String) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            fail("\(directory): cannot create the overlay directory")
        }
        let masks = evaluation.masks.map { (kind: $0.kind, mask: $0.mask) }
        for (label, g) in evaluation.normalizedHeatmaps {
            let path = directory + "/" + OverlayRenderer.fileName(for: label)
            do {
                let png = try OverlayRenderer.threePanelPNG(image: image, g: g, masks: masks)
                guard FileManager.default.createFile(atPath: path, contents: Data(png)) else {
                    fail("\(path): cannot write the overlay")
                }
            } catch {
                fail("\(path): \(error.message)")
            }
        }
    }

    private func usage(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\nusage: sightline score --help\n".utf8))
        Foundation.exit(2)
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
