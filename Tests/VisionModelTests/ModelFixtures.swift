import Foundation
import Testing
@testable import VisionModel

/// The model fixtures (Tests/Fixtures/model), the weights file and one shared loaded network per test run.
enum ModelFixtures {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/model")

    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let imageNames = ["chelsea", "coffee", "astronaut"]

    /// `SIGHTLINE_MODEL_WEIGHTS`, else `<repo>/.data/models/efficientnet-lite0-57934424.pth`.
    static var weightsPath: String {
        if let path = ProcessInfo.processInfo.environment["SIGHTLINE_MODEL_WEIGHTS"], !path.isEmpty { return path }
        return repository.appendingPathComponent(".data/models/efficientnet-lite0-57934424.pth").path
    }

    /// The network, loaded once per test run.
    static let model: Result<EfficientNetLite0, VisionModelError> = {
        let path = weightsPath
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(VisionModelError(
                .unreadableFile,
                "model weights not found at \(path): run scripts/test (it fetches them via scripts/lib/weights.sh) or set SIGHTLINE_MODEL_WEIGHTS"
            ))
        }
        do throws(VisionModelError) {
            return .success(try EfficientNetLite0(contentsOf: path))
        } catch {
            return .failure(error)
        }
    }()

    /// The loaded network, or a test failure naming how to get the weights.
    static func loadedModel() throws -> EfficientNetLite0 {
        switch model {
        case .success(let network): return network
        case .failure(let error): throw error
        }
    }

    static let manifest: Manifest? = {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("manifest.json").path) else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: data)
    }()

    static func entry(_ name: String) throws -> Manifest.Image {
        let manifest = try #require(manifest, "manifest.json unreadable")
        return try #require(manifest.images.first { $0.name == name }, "no manifest entry for \(name)")
    }

    static func array(_ relative: String) throws -> NPYArray {
        try NPYArray(contentsOf: directory.appendingPathComponent(relative))
    }

    /// One forward pass per fixture image (from its input.npy), recorded, computed once per run.
    static let inferences: [String: Inference] = {
        guard case .success(let network) = model else { return [:] }
        var result: [String: Inference] = [:]
        for name in imageNames {
            guard let input = try? NPYArray(contentsOf: directory.appendingPathComponent("\(name)/input.npy")),
                let modelInput = try? ModelInput(values: input.values)
            else { continue }
            result[name] = network.infer(modelInput, threads: 1, recordActivations: true)
        }
        return result
    }()

    static func inference(_ name: String) throws -> Inference {
        _ = try loadedModel()
        return try #require(inferences[name], "no inference for \(name)")
    }
}

/// The parts of manifest.json the tests check.
struct Manifest: Decodable, Sendable {
    struct Checksum: Decodable, Sendable {
        let shape: [Int]
        let sum: Double
        let mean: Double
        let max: Double
        let min: Double
        let abs_sum: Double
    }

    struct Prediction: Decodable, Sendable {
        let index: Int
        let name: String
        let logit: Double
        let prob: Double
    }

    struct CAMClass: Decodable, Sendable {
        let index: Int
        let name: String
    }

    struct Image: Decodable, Sendable {
        let name: String
        let stored_file: String
        let decoded_rgb_sha256: String
        let top5: [Prediction]
        let cam_classes: [CAMClass]
        let checksums: [String: Checksum]
        let block_checksums: [String: Checksum]
    }

    let images: [Image]
}

/// A minimal reader for the fixtures' NumPy v1.0 `<f4` C-order files (test only).
struct NPYArray {
    let shape: [Int]
    let values: [Float]

    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw FormatError(description: "\(url.lastPathComponent): not an npy file")
        }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False") else {
            throw FormatError(description: "\(url.lastPathComponent): not little-endian float32 C order: \(header)")
        }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw FormatError(description: "\(url.lastPathComponent): no shape")
        }
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let start = 10 + headerLength
        guard bytes.count - start == 4 * count else {
            throw FormatError(description: "\(url.lastPathComponent): \(bytes.count - start) data bytes for shape \(shape)")
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
            }
        }
        self.shape = shape
        self.values = values
    }
}
