import Engine
import Foundation
import Testing

/// Single runs of the real `sightline score` binary (cli.md): --size, --image + --overlay-dir, --format table,
/// descriptions, usage errors and bad files.
@Suite("sightline score (real binary)", .serialized)
struct CLISingleTests {
    static let scoring = FixtureSupport.folder("scoring")

    /// The case line and expected line of a scoring fixture id.
    static func fixture(_ id: String) throws -> (input: JSONValue, expected: JSONValue) {
        let inputs = try FixtureSupport.readJSONLines(scoring + "/cases.jsonl")
        let expected = try FixtureSupport.readJSONLines(scoring + "/expected.jsonl")
        guard let index = inputs.firstIndex(where: { $0["id"]?.stringValue == id }) else {
            throw CLITestError.missing(id)
        }
        return (inputs[index], expected[index])
    }

    /// `--heatmap LABEL=FILE` arguments of a case line (absolute paths).
    static func heatmapArguments(_ input: JSONValue) -> [String] {
        (input["heatmaps"]?.objectValue ?? []).flatMap { label, path in
            ["--heatmap", "\(label)=\(scoring)/\(path.stringValue ?? "")"]
        }
    }

    static func withID(_ output: JSONValue, _ id: String) -> JSONValue {
        .object([("id", .string(id))] + (output.objectValue ?? []))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("--size runs match expected.jsonl and exit 0 (pass) / 1 (fail)",
          arguments: ["A01_blob_inside_rect_7x7_224x224", "A03_blob_inside_rect_7x7_640x480",
                      "M01_two_focus_regions_pass", "M05_four_failing_regions_two_step", "M07_threshold_overrides"])
    func sizeRun(_ id: String) throws {
        let (input, expected) = try Self.fixture(id)
        let size = input["size"]?.arrayValue?.compactMap(\.numberValue).map { String(Int($0)) } ?? []
        var arguments = ["score", "--size", size.joined(separator: "x"),
                         "--regions", "\(Self.scoring)/regions/\(id).json"] + Self.heatmapArguments(input)
        if let description = input["description"]?.stringValue { arguments += ["--description", description] }
        let (status, stdout, stderr) = try FixtureSupport.runCLI(arguments)
        let passes = expected["verdict"]?.stringValue == "pass"
        #expect(status == (passes ? 0 : 1), "stderr: \(stderr)")
        let output = try JSONParser.parse(stdout)
        let problems = FixtureSupport.differences(expected: expected, actual: Self.withID(output, id))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // §6 key order.
        #expect(output.objectValue?.map(\.0) == ["image", "description", "verdict", "attention_diagnosis",
                                                  "prompt_suggestion", "suggestions", "unmatched_heatmaps"])
    }

    @Test("--image with --overlay-dir writes LABEL.png: original | JET heatmap | overlay, width 3·W")
    func imageWithOverlay() throws {
        let id = "O03_image_png_rgb"
        let (input, expected) = try Self.fixture(id)
        let tmp = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let imagePath = "\(Self.scoring)/\(input["image"]?.stringValue ?? "")"
        let overlayDir = tmp.appendingPathComponent("overlays").path
        let arguments = ["score", "--image", imagePath, "--regions", "\(Self.scoring)/regions/\(id).json",
                         "--description", input["description"]?.stringValue ?? "", "--overlay-dir", overlayDir]
            + Self.heatmapArguments(input)
        let (status, stdout, stderr) = try FixtureSupport.runCLI(arguments)
        #expect(status == 0, "stderr: \(stderr)")
        let problems = FixtureSupport.differences(expected: expected, actual: Self.withID(try JSONParser.parse(stdout), id))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")

        let original = try ImageDecoder.decode(contentsOf: imagePath)
        let panel = try ImageDecoder.decode(contentsOf: overlayDir + "/cat.png")
        #expect(panel.width == 3 * original.width)
        #expect(panel.height == original.height)
        // Left panel = the original, byte for byte.
        var leftEqual = true
        for y in 0..<original.height {
            let a = panel.pixels[(y * panel.width * 3)..<(y * panel.width * 3 + original.width * 3)]
            let b = original.pixels[(y * original.width * 3)..<((y + 1) * original.width * 3)]
            if !a.elementsEqual(b) { leftEqual = false }
        }
        #expect(leftEqual)
        // Middle and right panels agree with the renderer on the same g (away from outlines).
        let regions = try RegionSet.parse(ScoringJob.readFile("\(Self.scoring)/regions/\(id).json", missing: .invalidJSON))
        let heatmapPath = "\(Self.scoring)/\(input["heatmaps"]?["cat"]?.stringValue ?? "")"
        let evaluation = try Scorer.evaluate(ScoringInput(
            width: original.width, height: original.height, regions: regions,
            heatmaps: [("cat", try HeatmapReader.read(contentsOf: heatmapPath))]))
        let g = evaluation.normalizedHeatmaps[0].g
        let heat = OverlayRenderer.heatmapImage(g)
        let blend = try OverlayRenderer.blend(image: original, g: g)
        let w = original.width
        for (x, y) in [(0, 0), (5, 150), (120, 80), (239, 159), (30, 30)] {
            let i = (y * w + x) * 3
            let mid = (y * 3 * w + w + x) * 3, right = (y * 3 * w + 2 * w + x) * 3
            #expect(Array(panel.pixels[mid..<mid + 3]) == Array(heat.pixels[i..<i + 3]))
            #expect(Array(panel.pixels[right..<right + 3]) == Array(blend.pixels[i..<i + 3]))
        }
    }

    @Test("--format table prints a readable table; --description-file is read")
    func tableFormat() throws {
        let id = "M05_four_failing_regions_two_step"
        let (input, _) = try Self.fixture(id)
        let tmp = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let descriptionFile = tmp.appendingPathComponent("description.txt").path
        try ((input["description"]?.stringValue ?? "") + "\n").write(toFile: descriptionFile, atomically: true, encoding: .utf8)
        let arguments = ["score", "--size", "640x480", "--regions", "\(Self.scoring)/regions/\(id).json",
                         "--description-file", descriptionFile, "--format", "table"] + Self.heatmapArguments(input)
        let (status, stdout, stderr) = try FixtureSupport.runCLI(arguments)
        #expect(status == 1, "stderr: \(stderr)")
        #expect(stdout.contains("verdict: FAIL"))
        for label in ["cat", "dog", "ball", "bench"] { #expect(stdout.contains(label)) }
        #expect(stdout.contains("no_heatmap"))
        #expect(stdout.contains("two_step"))
        #expect(stdout.contains("unmatched heatmaps: sky"))
        #expect(stdout.contains("description: A cat and a dog play with a ball near a bench."))
    }

    @Test("usage problems and bad files exit 2 with a message naming the problem")
    func usageErrors() throws {
        let id = "A01_blob_inside_rect_7x7_224x224"
        let regions = "\(Self.scoring)/regions/\(id).json"
        let heatmap = "dog=\(Self.scoring)/heatmaps/\(id)__dog.npy"
        let cases: [([String], String)] = [
            (["score", "--size", "224x224", "--regions", regions, "--heatmap", heatmap, "--heatmap", heatmap], "twice"),
            (["score", "--size", "224x224", "--regions", regions, "--heatmap", heatmap,
              "--heatmap", "DOG=\(Self.scoring)/heatmaps/\(id)__dog.npy"], "twice"),
            (["score", "--size", "0x0", "--regions", regions, "--heatmap", heatmap], "--size"),
            (["score", "--size", "224", "--regions", regions, "--heatmap", heatmap], "--size"),
            (["score", "--size", "224x224", "--heatmap", heatmap], "--regions"),
            (["score", "--regions", regions, "--heatmap", heatmap], "--image"),
            (["score", "--size", "224x224", "--regions", regions], "--heatmap"),
            (["score", "--size", "224x224", "--regions", regions, "--heatmap", "dog"], "LABEL=FILE"),
            (["score", "--size", "224x224", "--regions", regions, "--heatmap", heatmap, "--overlay-dir", "/tmp/x"],
             "--overlay-dir"),
            (["score", "--size", "224x224", "--regions", regions, "--heatmap", heatmap, "--format", "xml"], "--format"),
            (["score", "--size", "224x224", "--regions", regions, "--heatmap", heatmap, "--description", "a",
              "--description-file", regions], "description"),
            (["score", "--size", "224x224", "--regions", regions, "--heatmap", heatmap, "--bogus"], "bogus"),
            (["score", "--size", "224x224", "--regions", regions, "--heatmap", heatmap, "--hot-threshold", "abc"],
             "--hot-threshold"),
            (["score", "--batch", "\(Self.scoring)/cases.jsonl", "--size", "2x2"], "--batch"),
            // Bad files: the message names the file.
            (["score", "--size", "224x224", "--regions", "/nonexistent/regions.json", "--heatmap", heatmap],
             "/nonexistent/regions.json"),
            (["score", "--size", "224x224", "--regions", regions, "--heatmap", "dog=/nonexistent/h.npy"],
             "/nonexistent/h.npy"),
            (["score", "--image", "/nonexistent/i.png", "--regions", regions, "--heatmap", heatmap],
             "/nonexistent/i.png"),
            (["score", "--size", "224x224", "--regions", regions,
              "--heatmap", "dog=\(FixtureSupport.folder("images"))/bad_heatmaps/nan.npy"], "non_finite_heatmap"),
            (["score", "--image", "\(FixtureSupport.folder("images"))/bad/truncated.jpg", "--regions", regions,
              "--heatmap", heatmap], "unreadable_image"),
        ]
        for (arguments, needle) in cases {
            let (status, stdout, stderr) = try FixtureSupport.runCLI(arguments)
            #expect(status == 2, "\(arguments.dropFirst()): status \(status)")
            #expect(stderr.contains(needle), "\(arguments.dropFirst()): stderr \(stderr)")
            #expect(stdout.isEmpty, "\(arguments.dropFirst()): nothing partial on stdout")
        }
    }

    enum CLITestError: Error { case missing(String) }
}
