import Engine
import Foundation
import Logging
import NIOCore
import Storage

/// Seeds the demo project on the first start of a server that has an administrator: three sample images with
/// regions whose labels are ImageNet classes, two prompt versions, and one run per image and version, so that a
/// newcomer sees scored runs and the comparison table at once. Runs once per database (`demo_seeds`);
/// `SIGHTLINE_NO_DEMO=1` skips it.
///
/// The heatmaps are **real**: the runs are built-in Grad-CAM jobs (EfficientNet-Lite0, `head` layer) queued here and
/// computed by the server's built-in worker within seconds of the start. Both versions get the same maps (Grad-CAM
/// of a classifier does not depend on the prompt); they differ in their descriptions: version 1's miss the labels.
/// Without model weights (`SIGHTLINE_MODEL_WEIGHTS`) the demo falls back to **synthetic** maps (Gaussian blobs and
/// softened region shapes) and says so in the project description and the runs' model name.
public struct DemoSeeder: Sendable {
    let services: AppServices
    let logger: Logger
    let directory: String

    /// The seed's name in `demo_seeds`.
    static let seedName = "demo-project-v1"
    /// Model name of the synthetic fallback runs (says that the heatmaps are not a model's).
    public static let modelName = "synthetic-demo (generated blobs, not a real model)"

    public init(services: AppServices, logger: Logger, directory: String) {
        self.services = services
        self.logger = logger
        self.directory = directory
    }

    /// Whether seeding is on (`SIGHTLINE_NO_DEMO` unset or 0).
    public static func isEnabled(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let value = environment["SIGHTLINE_NO_DEMO"] else { return true }
        return ["", "0", "false", "no"].contains(value.lowercased())
    }

    /// The `demo/` folder (`SIGHTLINE_DEMO_DIR` overrides).
    public static func locateDirectory() throws -> String {
        try ResourceDirectory(name: "demo", environmentKey: "SIGHTLINE_DEMO_DIR").locatePath()
    }

    struct DemoImage {
        var file: String
        /// Focus labels are ImageNet classes (or have one as an alias), so the built-in Grad-CAM can map each one.
        var regions: String
        /// Per prompt version: the description (version 1 misses the labels) and a latency for synthetic runs.
        var runs: [(description: String, latency: Int)]
        /// Synthetic fallback, version 1 only: blobs (label, cx, cy, sigma as image fractions) off the regions.
        /// Version 2's synthetic maps are the focus regions' own shapes, softened.
        var offTargetBlobs: [(String, Double, Double, Double)]
    }

    static let images: [DemoImage] = [
        DemoImage(
            file: "astronaut.png",
            regions: #"{"regions": [{"label": "space shuttle", "aliases": ["shuttle"], "shapes": [{"type": "rect", "x": 190, "y": 0, "width": 70, "height": 160}]}, {"label": "helmet", "aliases": ["football helmet", "crash helmet"], "shapes": [{"type": "rect", "x": 145, "y": 182, "width": 135, "height": 98}]}, {"label": "flag", "kind": "avoid", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 45, "height": 230}]}]}"#,
            runs: [
                ("A woman in an orange suit smiles for a portrait.", 840),
                ("An astronaut smiles beside a model of the space shuttle, her helmet in front of her.", 910),
            ],
            offTargetBlobs: [("space shuttle", 0.45, 0.55, 0.22), ("helmet", 0.4, 0.35, 0.25)]),
        DemoImage(
            file: "chelsea.png",
            regions: #"{"regions": [{"label": "cat", "aliases": ["tabby", "kitten"], "shapes": [{"type": "ellipse", "cx": 150, "cy": 115, "rx": 120, "ry": 95}]}, {"label": "background", "kind": "avoid", "shapes": [{"type": "rect", "x": 270, "y": 0, "width": 50, "height": 50}]}]}"#,
            runs: [
                ("An animal rests on a wooden floor.", 610),
                ("A tabby cat looks to the side.", 700),
            ],
            offTargetBlobs: [("cat", 0.85, 0.2, 0.15)]),
        DemoImage(
            file: "coffee.png",
            regions: #"{"regions": [{"label": "cup", "aliases": ["espresso", "coffee", "mug"], "shapes": [{"type": "ellipse", "cx": 162, "cy": 85, "rx": 68, "ry": 75}]}, {"label": "table", "kind": "avoid", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 40, "height": 224}]}]}"#,
            runs: [
                ("A drink on a wooden table.", 650),
                ("A cup of espresso sits on a red saucer.", 720),
            ],
            offTargetBlobs: [("cup", 0.12, 0.5, 0.2)]),
    ]

    /// Seeds the demo unless it was seeded before or no administrator exists yet; returns whether it seeded.
    @discardableResult
    public func seedIfNeeded() async throws -> Bool {
        let done = try await services.client.query(
            "SELECT name FROM demo_seeds WHERE name = \(Self.seedName)", logger: logger)
        if try await done.decode(String.self).first(where: { _ in true }) != nil { return false }
        guard let admin = try await services.users.listUsers().first(where: \.isAdmin) else {
            logger.info("demo project not seeded: no administrator yet")
            return false
        }
        // Claim the seed first so that two servers starting together don't both seed.
        let claimed = try await services.client.query(
            "INSERT INTO demo_seeds (name) VALUES (\(Self.seedName)) ON CONFLICT DO NOTHING RETURNING name",
            logger: logger)
        guard try await claimed.decode(String.self).first(where: { _ in true }) != nil else { return false }

        let builtIn = await services.builtInHeatmaps.checkAvailability().isAvailable
        let heatmapNote = builtIn
            ? "Heatmaps: built-in Grad-CAM of EfficientNet-Lite0 (an ImageNet classifier, computed on this server at "
                + "first start) for each focus region's ImageNet class, the same maps for both prompt versions; the "
                + "versions differ in their descriptions."
            : "Heatmaps are SYNTHETIC (generated blobs), not a model's Grad-CAM: they only show how scoring works "
                + "(the model weights were not available at first start)."
        let project = try await services.projects.createProject(
            name: "Demo: attention review",
            description: "Sample project seeded on first start. Images: scikit-image samples (public domain / CC0). "
                + heatmapNote,
            creator: admin.id)
        try await services.client.query(
            "UPDATE demo_seeds SET project_id = \(project.id) WHERE name = \(Self.seedName)", logger: logger)
        let first = try await services.prompts.createPrompt(
            projectID: project.id, name: "Describe", text: "Describe the image.", createdBy: admin.id)
        let second = try await services.prompts.createPromptVersion(
            projectID: project.id, promptID: first.promptID, name: "Describe",
            text: "Describe the main subject of the image and name every object you see explicitly.",
            createdBy: admin.id)
        let uploader = ImageUploader(images: services.images, maxFileBytes: 50 * 1024 * 1024)
        var stored: [(DemoImage, Image, RegionVersion)] = []
        for demo in Self.images {
            let path = (directory as NSString).appendingPathComponent("images/\(demo.file)")
            guard let data = FileManager.default.contents(atPath: path) else {
                logger.warning("demo image missing", metadata: ["path": "\(path)"])
                continue
            }
            let outcome = try await uploader.uploadImage(
                ByteBuffer(bytes: data), fileName: demo.file, projectID: project.id, uploadedBy: admin.id)
            guard case .uploaded(let image) = outcome else { continue }
            let regions = try RegionSet.parse(Array(demo.regions.utf8))
            let version = try await services.regions.createRegionVersion(
                imageID: image.id, regions: regions, summary: "demo regions", createdBy: admin.id)
            stored.append((demo, image, version))
        }
        for (index, version) in [first, second].enumerated() {
            if builtIn {
                try await queueBuiltInRuns(stored, version: version, index: index, projectID: project.id, adminID: admin.id)
            } else {
                try await createSyntheticRuns(
                    stored, version: version, index: index, projectID: project.id, adminID: admin.id)
            }
        }
        logger.info(
            "demo project seeded",
            metadata: ["project": "\(project.id)", "heatmaps": "\(builtIn ? "built-in Grad-CAM (queued)" : "synthetic")"])
        return true
    }

    /// One built-in Grad-CAM job per image: every focus region's class, the version's description.
    func queueBuiltInRuns(
        _ stored: [(DemoImage, Image, RegionVersion)], version: PromptVersion, index: Int, projectID: Project.ID,
        adminID: User.ID
    ) async throws {
        let jobs = BuiltInJobRepository(client: services.client, logger: logger)
        for (demo, image, regions) in stored where demo.runs.indices.contains(index) {
            let targets = try BuiltInRegionMatch.resolveTargets(
                BuiltInRegionMatch.listFocusRegions(regions), choices: nil)
            _ = try await jobs.enqueueJob(
                projectID: projectID, imageID: image.id, promptVersionID: version.id, layer: .head, targets: targets,
                description: demo.runs[index].description, createdBy: adminID)
        }
    }

    /// The fallback without model weights: version 1 gets blobs off the regions, version 2 the regions' shapes.
    func createSyntheticRuns(
        _ stored: [(DemoImage, Image, RegionVersion)], version: PromptVersion, index: Int, projectID: Project.ID,
        adminID: User.ID
    ) async throws {
        for (demo, image, _) in stored where demo.runs.indices.contains(index) {
            let run = demo.runs[index]
            var heatmaps: [NewHeatmap] = []
            if index == 0 {
                heatmaps = demo.offTargetBlobs.map { label, cx, cy, sigma in
                    NewHeatmap(
                        label: label, map: Self.syntheticBlob(cx: cx, cy: cy, sigma: sigma), source: .upload,
                        fileName: "synthetic-\(label).npy")
                }
            } else {
                let regions = try RegionSet.parse(Array(demo.regions.utf8))
                for group in regions.groups where group.kind == .focus {
                    let mask = try Rasterizer.mask(for: group.shapes, width: image.width, height: image.height)
                    heatmaps.append(
                        NewHeatmap(
                            label: group.label, map: Self.syntheticShape(mask), source: .upload,
                            fileName: "synthetic-\(group.label).npy"))
                }
            }
            _ = try await services.runs.createRun(
                NewRun(
                    projectID: projectID, promptVersionID: version.id, imageID: image.id, modelName: Self.modelName,
                    description: run.description, latencyMs: run.latency, source: .demo, createdBy: adminID),
                heatmaps: heatmaps)
        }
    }

    /// A 28×28 map that is 1 where the cell centre lies in `mask` and 0.05 elsewhere (attention on the region).
    static func syntheticShape(_ mask: Mask, size: Int = 28) -> FloatMap {
        var values = [Float](repeating: 0.05, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let mx = min(mask.width - 1, Int((Double(x) + 0.5) / Double(size) * Double(mask.width)))
                let my = min(mask.height - 1, Int((Double(y) + 0.5) / Double(size) * Double(mask.height)))
                if mask.bits[my * mask.width + mx] != 0 { values[y * size + x] = 1 }
            }
        }
        return FloatMap(width: size, height: size, values: values)
    }

    /// A 28×28 Gaussian blob (a stand-in for a 7×7-upsampled CAM), centre and sigma as image fractions.
    static func syntheticBlob(cx: Double, cy: Double, sigma: Double, size: Int = 28) -> FloatMap {
        var values = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let dx = (Double(x) + 0.5) / Double(size) - cx
                let dy = (Double(y) + 0.5) / Double(size) - cy
                values[y * size + x] = Float(exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)))
            }
        }
        return FloatMap(width: size, height: size, values: values)
    }
}
