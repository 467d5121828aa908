import Foundation
@testable import Engine

/// Locates and loads the reference fixtures (Tests/Fixtures, found from this file's path).
enum InputFixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Input, EngineTests, Tests
        return url.appendingPathComponent("Fixtures").path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func bytes(_ relative: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path(relative))))) ?? []
    }

    static func json(_ relative: String) -> JSONValue {
        (try? JSONParser.parse(bytes(relative))) ?? .null
    }

    static func jsonLines(_ relative: String) -> [JSONValue] {
        let data = bytes(relative)
        var lines: [JSONValue] = []
        var start = 0
        for index in 0...data.count where index == data.count || data[index] == 0x0A {
            if index > start, let value = try? JSONParser.parse(Array(data[start..<index])) { lines.append(value) }
            start = index + 1
        }
        return lines
    }

    /// `scoring/cases.jsonl` and `scoring/expected.jsonl`, paired by id.
    static let scoringCases: [(input: JSONValue, expected: JSONValue)] = {
        let inputs = jsonLines("scoring/cases.jsonl")
        let expected = jsonLines("scoring/expected.jsonl")
        var byID: [String: JSONValue] = [:]
        for line in expected { if let id = line["id"]?.stringValue { byID[id] = line } }
        return inputs.compactMap { input in
            guard let id = input["id"]?.stringValue, let output = byID[id] else { return nil }
            return (input, output)
        }
    }()

    static var scoringCaseIDs: [String] { scoringCases.compactMap { $0.input["id"]?.stringValue } }

    static func scoringCase(_ id: String) -> (input: JSONValue, expected: JSONValue)? {
        scoringCases.first { $0.input["id"]?.stringValue == id }
    }

    /// The column-major COCO uncompressed RLE of a mask (first run = zeros).
    static func columnMajorRLE(_ mask: Mask) -> [Int] {
        var counts: [Int] = []
        var current: UInt8 = 0
        var run = 0
        for x in 0..<mask.width {
            for y in 0..<mask.height {
                let bit = mask.bits[y * mask.width + x]
                if bit == current {
                    run += 1
                } else {
                    counts.append(run)
                    current = bit
                    run = 1
                }
            }
        }
        counts.append(run)
        return counts
    }

    /// The float32 values of a nested JSON array, row-major.
    static func floats(_ value: JSONValue?) -> [Float] {
        (value?.arrayValue ?? []).flatMap { row in (row.arrayValue ?? []).map { Float($0.numberValue ?? .nan) } }
    }
}
