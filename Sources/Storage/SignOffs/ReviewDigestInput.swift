import Crypto
import Foundation

/// Exactly what a reviewer reviews for one prompt version, read from the database in one statement: the prompt
/// text, the project thresholds, and for every image of the project its current regions version and the latest
/// run of the prompt version (model name, heatmap SHA-256s and its latest score: verdict, engine version, regions
/// version and thresholds used). Its canonical JSON (sorted keys, images sorted by id, heatmaps by label) hashed
/// with SHA-256 is the sign-off digest.
public struct ReviewDigestInput: Sendable, Codable, Equatable {
    /// The prompt version.
    public struct Prompt: Sendable, Codable, Equatable {
        public var id: String
        public var promptID: String
        public var version: Int
        public var name: String
        public var text: String

        enum CodingKeys: String, CodingKey {
            case id, version, name, text
            case promptID = "prompt_id"
        }
    }

    /// Verdict thresholds (project defaults, or those a score used).
    public struct Thresholds: Sendable, Codable, Equatable {
        public var minEnergy: Double
        public var minCoverage: Double
        public var maxEnergy: Double
        public var hotThreshold: Double

        enum CodingKeys: String, CodingKey {
            case minEnergy = "min_energy"
            case minCoverage = "min_coverage"
            case maxEnergy = "max_energy"
            case hotThreshold = "hot_threshold"
        }
    }

    /// A regions version.
    public struct Regions: Sendable, Codable, Equatable {
        public var id: String
        public var version: Int
    }

    /// A heatmap of a run.
    public struct Heatmap: Sendable, Codable, Equatable {
        public var label: String
        public var sha256: String
    }

    /// The latest score of a run.
    public struct Score: Sendable, Codable, Equatable {
        public var verdict: String
        public var engineVersion: String
        public var regionsVersionID: String?
        public var thresholds: [String: Double]
        public var errorCode: String?

        enum CodingKeys: String, CodingKey {
            case verdict, thresholds
            case engineVersion = "engine_version"
            case regionsVersionID = "regions_version_id"
            case errorCode = "error_code"
        }
    }

    /// The latest run revision of the prompt version on one image.
    public struct Run: Sendable, Codable, Equatable {
        public var id: String
        public var lineageID: String
        public var revision: Int
        public var modelName: String
        public var heatmaps: [Heatmap]
        public var score: Score?

        enum CodingKeys: String, CodingKey {
            case id, revision, heatmaps, score
            case lineageID = "lineage_id"
            case modelName = "model_name"
        }
    }

    /// One image of the project.
    public struct ImageEntry: Sendable, Codable, Equatable {
        public var imageID: String
        public var fileName: String
        public var sha256: String
        /// The image's current regions version (`nil`: no regions yet).
        public var regions: Regions?
        /// The latest run of the prompt version on this image (`nil`: none).
        public var run: Run?

        enum CodingKeys: String, CodingKey {
            case regions, run, sha256
            case imageID = "image_id"
            case fileName = "file_name"
        }
    }

    /// Bumped if the digest's content ever changes meaning.
    public var format: Int
    public var prompt: Prompt
    public var projectThresholds: Thresholds
    public var images: [ImageEntry]

    enum CodingKeys: String, CodingKey {
        case format, prompt, images
        case projectThresholds = "project_thresholds"
    }

    public init(format: Int = 1, prompt: Prompt, projectThresholds: Thresholds, images: [ImageEntry]) {
        self.format = format
        self.prompt = prompt
        self.projectThresholds = projectThresholds
        self.images = images
    }

    /// The same content in canonical order (images by id, heatmaps by label).
    public func canonicalized() -> ReviewDigestInput {
        var copy = self
        copy.images.sort { $0.imageID < $1.imageID }
        for index in copy.images.indices {
            copy.images[index].run?.heatmaps.sort { $0.label < $1.label }
        }
        return copy
    }

    /// Canonical JSON: canonical order, sorted keys, no insignificant whitespace, UTF-8.
    public func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(canonicalized())
    }

    /// Lower-case hex SHA-256 of `canonicalJSON()`.
    public func computeDigest() throws -> String {
        SHA256.hash(data: try canonicalJSON()).map { String(format: "%02x", $0) }.joined()
    }

    /// Parses a stored or queried JSON document.
    public static func decodeJSON(_ text: String) throws -> ReviewDigestInput {
        try JSONDecoder().decode(ReviewDigestInput.self, from: Data(text.utf8))
    }

    /// Images whose latest run's verdict is `fail` or `error` (what an approval must override with a comment).
    public var failingImages: [ImageEntry] {
        images.filter { ["fail", "error"].contains($0.run?.score?.verdict ?? "") }
    }
}
