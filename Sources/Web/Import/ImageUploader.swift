import Crypto
import Engine
import Foundation
import NIOCore
import Storage

/// Stores uploaded files as project images: SHA-256 de-duplication within the project, one engine decode per
/// file off the event loop (bounded by `limiter`), display copy and thumbnail, then one insert. A bad file is
/// refused with the engine's error and nothing of it is stored.
public struct ImageUploader: Sendable {
    let images: ImageRepository
    let limiter: WorkLimiter
    /// Largest accepted file, in bytes.
    let maxFileBytes: Int

    /// Decoding is CPU-bound: at most one decode per core at a time, process-wide.
    static let sharedLimiter = WorkLimiter(limit: max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))

    public init(images: ImageRepository, maxFileBytes: Int, limiter: WorkLimiter? = nil) {
        self.images = images
        self.maxFileBytes = maxFileBytes
        self.limiter = limiter ?? Self.sharedLimiter
    }

    /// The file name without any folder a browser may have sent, trimmed, at most 255 characters.
    public static func cleanFileName(_ raw: String?) -> String {
        let name = (raw ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        return String(name.trimmingCharacters(in: .whitespacesAndNewlines).prefix(255))
    }

    /// Lower-case hex SHA-256.
    public static func computeSHA256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Uploads one file into `projectID`.
    public func uploadImage(
        _ body: ByteBuffer, fileName rawName: String?, projectID: Project.ID, uploadedBy: User.ID
    ) async throws -> UploadOutcome {
        let fileName = Self.cleanFileName(rawName)
        guard body.readableBytes > 0 else {
            return .rejected(fileName: fileName, error: EngineError(.unreadableImage, "the file is empty"))
        }
        guard body.readableBytes <= maxFileBytes else {
            return .rejected(
                fileName: fileName,
                error: EngineError(
                    .imageTooLarge, "the file is larger than the limit of \(maxFileBytes / (1024 * 1024)) MiB"))
        }
        let bytes = Array(body.readableBytesView)
        let sha256 = Self.computeSHA256(bytes)
        if let existing = try await images.findImage(projectID: projectID, sha256: sha256) {
            return .duplicate(existing)
        }
        let prepared: PreparedImage
        do throws(EngineError) {
            prepared = try await limiter.run { () throws(EngineError) -> PreparedImage in
                try PreparedImage.prepareImage(bytes)
            }
        } catch {
            return .rejected(fileName: fileName, error: error)
        }
        let new = NewImage(
            projectID: projectID, fileName: fileName, sha256: sha256, format: prepared.format.rawValue,
            width: prepared.width, height: prepared.height, original: body,
            displayJPEG: ByteBuffer(bytes: prepared.displayJPEG), displayWidth: prepared.displayWidth,
            displayHeight: prepared.displayHeight, thumbnailJPEG: ByteBuffer(bytes: prepared.thumbnailJPEG),
            uploadedBy: uploadedBy)
        do {
            return .uploaded(try await images.createImage(new))
        } catch StorageError.duplicate {
            // Another request stored the same bytes meanwhile.
            if let existing = try await images.findImage(projectID: projectID, sha256: sha256) {
                return .duplicate(existing)
            }
            throw StorageError.duplicate("image \(sha256)")
        }
    }
}
