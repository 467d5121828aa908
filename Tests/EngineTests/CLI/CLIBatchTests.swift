import Engine
import Foundation
import Testing

/// The fixture cases through the real `sightline score --batch` binary: every output line compared with
/// expected.jsonl, and the exit status of cli.md.
@Suite("sightline score --batch (real binary)", .serialized)
struct CLIBatchTests {
    @Test("batch output matches expected.jsonl", arguments: ["scoring", "images"])
    func batchMatchesExpected(_ folder: String) throws {
        let dir = FixtureSupport.folder(folder)
        let (status, stdout, stderr) = try FixtureSupport.runCLI(["score", "--batch", dir + "/cases.jsonl"])
        // Both files hold bad lines (N cases, bad images/heatmaps), so the status is 2.
        #expect(status == 2, "stderr: \(stderr)")
        let expected = try FixtureSupport.readJSONLines(dir + "/expected.jsonl")
        let lines = stdout.split(separator: "\n").map { String($0) }
        try #require(lines.count == expected.count, "got \(lines.count) lines, expected \(expected.count)")
        var problems: [String] = []
        for (line, exp) in zip(lines, expected) {
            let value = try JSONParser.parse(line)
            problems += FixtureSupport.differences(expected: exp, actual: value)
            // The parser refuses NaN/Infinity tokens, so a parsed line holds none; check the raw text too.
            #expect(!line.contains(":NaN") && !line.contains(":Infinity") && !line.contains(":-Infinity"))
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// A batch of the scoring cases with only valid lines gives 1 (some verdicts fail); only passing lines give 0;
    /// paths are resolved against the .jsonl's folder even when run from elsewhere.
    @Test("exit status 0 / 1 / 2 and relative paths")
    func exitStatuses() throws {
        let dir = FixtureSupport.folder("scoring")
        let lines = try FixtureSupport.rawLines(dir + "/cases.jsonl")
        let expected = try FixtureSupport.readJSONLines(dir + "/expected.jsonl")
        var passing: [String] = [], valid: [String] = []
        for (line, exp) in zip(lines, expected) where exp["error"] == nil && exp["verdict"] != nil {
            // Re-root the relative paths: write the temp .jsonl with absolute paths.
            var text = String(decoding: line, as: UTF8.self)
            text = text.replacingOccurrences(of: "\"heatmaps/", with: "\"\(dir)/heatmaps/")
            text = text.replacingOccurrences(of: "\"images/", with: "\"\(dir)/images/")
            valid.append(text)
            if exp["verdict"]?.stringValue == "pass" { passing.append(text) }
        }
        try #require(!passing.isEmpty && valid.count > passing.count)
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let passFile = tmp.appendingPathComponent("pass.jsonl").path
        let validFile = tmp.appendingPathComponent("valid.jsonl").path
        try (passing.joined(separator: "\n") + "\n").write(toFile: passFile, atomically: true, encoding: .utf8)
        try (valid.joined(separator: "\n") + "\n\n").write(toFile: validFile, atomically: true, encoding: .utf8)
        let (passStatus, passOut, _) = try FixtureSupport.runCLI(["score", "--batch", passFile, "--format", "jsonl"])
        #expect(passStatus == 0)
        #expect(passOut.split(separator: "\n").count == passing.count)
        let (validStatus, validOut, _) = try FixtureSupport.runCLI(["score", "--batch", validFile], in: tmp.path)
        #expect(validStatus == 1)
        #expect(validOut.split(separator: "\n").count == valid.count)

        // Relative paths: run the original file from another working directory.
        let (status, out, _) = try FixtureSupport.runCLI(["score", "--batch", dir + "/cases.jsonl"], in: tmp.path)
        #expect(status == 2)
        #expect(!out.contains("cannot open"))

        // A line that is not JSON is reported in place and the others still run.
        let mixed = tmp.appendingPathComponent("mixed.jsonl").path
        try ("{not json\n" + passing[0] + "\n").write(toFile: mixed, atomically: true, encoding: .utf8)
        let (mixedStatus, mixedOut, _) = try FixtureSupport.runCLI(["score", "--batch", mixed])
        #expect(mixedStatus == 2)
        let mixedLines = mixedOut.split(separator: "\n")
        try #require(mixedLines.count == 2)
        #expect(try JSONParser.parse(String(mixedLines[0]))["error"]?["code"]?.stringValue == "invalid_json")
        #expect(try JSONParser.parse(String(mixedLines[1]))["verdict"]?.stringValue == "pass")

        // A batch file that doesn't exist: exit 2, message names the file.
        let (missingStatus, _, missingErr) = try FixtureSupport.runCLI(["score", "--batch", tmp.path + "/nope.jsonl"])
        #expect(missingStatus == 2)
        #expect(missingErr.contains("nope.jsonl"))
    }
}
