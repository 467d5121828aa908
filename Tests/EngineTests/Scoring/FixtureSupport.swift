import Engine
import Foundation

/// Locates the fixtures (via #filePath, never ../shared) and compares outputs with `expected.jsonl` by the rules of
/// Tests/Fixtures/README.md ("How to compare").
enum FixtureSupport {
    /// `Tests/Fixtures`.
    static let fixturesDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)  // Tests/EngineTests/Scoring/FixtureSupport.swift
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures").path
    }()

    /// `scoring` or `images`.
    static func folder(_ name: String) -> String { fixturesDirectory + "/" + name }

    /// The non-blank lines of a JSON-lines file, parsed.
    static func readJSONLines(_ path: String) throws -> [JSONValue] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map {
            try JSONParser.parse(Array($0.utf8))
        }
    }

    /// Raw lines (bytes) of a JSON-lines file.
    static func rawLines(_ path: String) throws -> [[UInt8]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map { Array($0.utf8) }
    }

    /// Every difference between an output line and its expected line (empty when the output conforms).
    static func differences(expected: JSONValue, actual: JSONValue) -> [String] {
        var problems: [String] = []
        let id = expected["id"]?.stringValue ?? "?"
        if actual["id"] != expected["id"] { problems.append("\(id): id \(String(describing: actual["id"]))") }
        if let error = expected["error"] {
            let code = error["code"]?.stringValue
            let got = actual["error"]?["code"]?.stringValue
            if got != code { problems.append("\(id): error code \(got ?? "none") != \(code ?? "?")") }
            return problems
        }
        guard actual["error"] == nil else {
            return ["\(id): unexpected error \(JSONWriter.serialize(actual["error"] ?? .null))"]
        }
        let check = expected["_check"] ?? .null
        let tol = check["abs_tol"]?.numberValue ?? 1e-6
        let centroidTol = check["centroid_abs_tol"]?.numberValue ?? 1e-6
        let accept = check["accept"]?.objectValue ?? []

        func compare(_ e: JSONValue, _ a: JSONValue?, _ pointer: String) {
            if let rule = accept.last(where: { $0.0 == pointer })?.1 {
                if let anyOf = rule["any_of"]?.arrayValue {
                    if !anyOf.contains(where: { $0 == (a ?? .null) }) {
                        problems.append("\(id)\(pointer): \(describe(a)) not any of \(JSONWriter.serialize(rule))")
                    }
                } else if let range = rule.arrayValue, range.count == 2, let lo = range[0].numberValue,
                          let hi = range[1].numberValue
                {
                    guard let v = a?.numberValue, lo - 1e-6 <= v, v <= hi + 1e-6 else {
                        problems.append("\(id)\(pointer): \(describe(a)) outside [\(lo), \(hi)]")
                        return
                    }
                }
                return
            }
            switch e {
            case .object(let members):
                guard let a, a.objectValue != nil else {
                    problems.append("\(id)\(pointer): \(describe(a)) is not an object")
                    return
                }
                for (key, value) in members {
                    guard let sub = a[key] else {
                        problems.append("\(id)\(pointer)/\(key): missing")
                        continue
                    }
                    compare(value, sub, pointer + "/" + key)
                }
            case .array(let items) where pointer.hasSuffix("/centroid"):
                guard let got = a?.arrayValue, got.count == items.count else {
                    problems.append("\(id)\(pointer): \(describe(a))")
                    return
                }
                for (x, y) in zip(items, got) {
                    guard let ex = x.numberValue, let gy = y.numberValue, abs(ex - gy) <= centroidTol else {
                        problems.append("\(id)\(pointer): \(describe(a)) != \(JSONWriter.serialize(e))")
                        return
                    }
                }
            case .number(let ev):
                guard let av = a?.numberValue, av.isFinite, abs(av - ev) <= tol else {
                    problems.append("\(id)\(pointer): \(describe(a)) != \(ev)")
                    return
                }
            default:  // strings, booleans, null: exact
                if e != (a ?? .undefinedMarker) {
                    problems.append("\(id)\(pointer): \(describe(a)) != \(JSONWriter.serialize(e))")
                }
            }
        }

        for key in ["image", "description", "verdict"] {
            compare(expected[key] ?? .null, actual[key], "/" + key)
        }
        let expectedRegions = expected["attention_diagnosis"]?.objectValue ?? []
        let actualRegions = actual["attention_diagnosis"]?.objectValue ?? []
        if Set(expectedRegions.map(\.0)) != Set(actualRegions.map(\.0)) || expectedRegions.count != actualRegions.count {
            problems.append("\(id): labels \(actualRegions.map(\.0)) != \(expectedRegions.map(\.0))")
        }
        for (label, entry) in expectedRegions {
            compare(entry, actual["attention_diagnosis"]?[label], "/attention_diagnosis/" + label)
        }
        let expectedUnmatched = Set((expected["unmatched_heatmaps"]?.arrayValue ?? []).compactMap(\.stringValue))
        let actualUnmatched = Set((actual["unmatched_heatmaps"]?.arrayValue ?? []).compactMap(\.stringValue))
        if expectedUnmatched != actualUnmatched { problems.append("\(id): unmatched \(actualUnmatched)") }

        // Suggestions: exactly one per failing focus region (label + drift), the two-step entry when expected,
        // nothing else except entries for failing avoid regions.
        func key(_ s: JSONValue) -> String {
            [s["label"], s["drift"], s["technique"]].map { $0.map(JSONWriter.serialize) ?? "null" }
                .joined(separator: "|")
        }
        let avoidFails = expectedRegions.contains {
            $0.1["kind"]?.stringValue == "avoid" && $0.1["verdict"]?.stringValue == "fail"
        }
        let expectedSuggestions = (expected["suggestions"]?.arrayValue ?? []).map(key).sorted()
        let actualList = actual["suggestions"]?.arrayValue ?? []
        let actualSuggestions = actualList.filter {
            !(avoidFails && $0["drift"]?.stringValue == "attention_leak")
        }.map(key).sorted()
        if expectedSuggestions != actualSuggestions {
            problems.append("\(id): suggestions \(actualSuggestions) != \(expectedSuggestions)")
        }
        for s in actualList where (s["text"]?.stringValue ?? "").isEmpty {
            problems.append("\(id): suggestion without text")
        }
        if check["prompt_suggestion_required"]?.boolValue == true,
           (actual["prompt_suggestion"]?.stringValue ?? "").isEmpty
        {
            problems.append("\(id): prompt_suggestion required")
        }
        if expected["verdict"]?.stringValue == "pass", actual["prompt_suggestion"] != .null {
            problems.append("\(id): prompt_suggestion must be null when everything passes")
        }
        return problems
    }

    private static func describe(_ value: JSONValue?) -> String {
        value.map(JSONWriter.serialize) ?? "(missing)"
    }

    /// Finds the `sightline` executable built next to the test bundle (or `$SIGHTLINE_BIN`).
    static func sightlineExecutable() -> String? {
        if let path = ProcessInfo.processInfo.environment["SIGHTLINE_BIN"],
           FileManager.default.isExecutableFile(atPath: path)
        {
            return path
        }
        var candidates: [URL] = [Bundle.main.bundleURL, Bundle.main.executableURL ?? Bundle.main.bundleURL]
        if let first = CommandLine.arguments.first { candidates.append(URL(fileURLWithPath: first)) }
        for case let bundle as Bundle in Bundle.allBundles { candidates.append(bundle.bundleURL) }
        for candidate in candidates {
            var folder = candidate.standardizedFileURL
            for _ in 0..<5 {
                let path = folder.appendingPathComponent("sightline").path
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: path)
                {
                    return path
                }
                folder.deleteLastPathComponent()
            }
        }
        return nil
    }

    /// Runs the CLI; returns exit status, stdout and stderr.
    static func runCLI(_ arguments: [String], in directory: String? = nil) throws -> (Int32, String, String) {
        guard let executable = sightlineExecutable() else {
            throw CLIError.executableNotFound
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting (large outputs would otherwise block the child).
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self),
                String(decoding: errData, as: UTF8.self))
    }

    enum CLIError: Error, CustomStringConvertible {
        case executableNotFound
        var description: String {
            "the `sightline` executable was not found next to the test bundle (build it: swift build --build-tests)"
        }
    }
}

extension JSONValue {
    /// A value no JSON document holds, so a missing member never equals an expected `null`.
    static let undefinedMarker = JSONValue.object([("\u{0}missing", .null)])
}
