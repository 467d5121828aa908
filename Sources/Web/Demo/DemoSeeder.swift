import Engine
import Foundation
import Logging
import NIOCore
import Storage

/// Seeds the demo project on the first start of a server that has an administrator: three sample images with
/// regions, two prompt versions and runs with descriptions and **synthetic** heatmaps (Gaussian blobs, labelled as
/// such), so that a newcomer sees scored runs and the comparison table at once. Runs once per database
/// (`demo_seeds`); `SIGHTLINE_NO_DEMO=1` skips it.
public struct DemoSeeder: Sendable {
    let services: AppServices
    let logger: Logger
    let directory: String

    /// The seed's name in `demo_seeds`.
    static let seedName = "demo-project-v1"
    /// Model name of every demo run (says that the heatmaps are not a model's).
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
        var regions: String
        /// Per prompt version: description and heatmap blobs (label, cx, cy, sigma as image fractions); no blobs means
    /// "attention on every focus region" (the region's own shape, softened), the good case.
        var runs: [(description: String, blobs: [(String, Double, Double, Double)], latency: Int)]
    }

    static let images: [DemoImage] = [
        DemoImage(
            file: "astronaut.png",
            regions: #"{"regions": [{"label": "astronaut", "aliases": ["woman", "person"], "shapes": [{"type": "ellipse", "cx": 165, "cy": 150, "rx": 85, "ry": 125}]}, {"label": "flag", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 75, "height": 120}]}]}"#,
            runs: [
                ("A person in an orange suit stands in a room.", [("astronaut", 0.45, 0.75, 0.22), ("flag", 0.55, 0.5, 0.3)], 840),
                ("An astronaut in an orange suit smiles in front of an American flag.", [], 910),
            ]),
        DemoImage(
            file: "chelsea.png",
            regions: #"{"regions": [{"label": "cat", "aliases": ["kitten", "tabby"], "shapes": [{"type": "ellipse", "cx": 150, "cy": 115, "rx": 120, "ry": 95}]}, {"label": "background", "kind": "avoid", "shapes": [{"type": "rect", "x": 270, "y": 0, "width": 50, "height": 50}]}]}"#,
            runs: [
                ("An animal rests on a wooden floor.", [("cat", 0.75, 0.3, 0.2)], 610),
                ("A tabby cat looks to the side.", [], 700),
            ]),
        DemoImage(
            file: "coffee.png",
            regions: #"{"regions": [{"label": "cup", "aliases": ["coffee", "mug"], "shapes": [{"type": "ellipse", "cx": 170, "cy": 100, "rx": 90, "ry": 65}]}, {"label": "table", "kind": "avoid", "shapes": [{"type": "rect", "x": 0, "y": 0, "width": 40, "height": 224}]}]}"#,
            runs: [
                ("A drink on a table.", [("cup", 0.2, 0.5, 0.3)], 650),
                ("A cup of coffee sits on a white saucer.", [], 720),
            ]),
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

        let project = try await services.projects.createProject(
            name: "Demo: attention review",
            description: "Sample project seeded on first start. Images: scikit-image samples (public domain / CC0). "
                + "Heatmaps are SYNTHETIC (generated blobs), not a model's Grad-CAM: they only show how scoring works.",
            creator: admin.id)
        try await services.client.query(
            "UPDATE demo_seeds SET project_id = \(project.id) WHERE name = \(Self.seedName)", logger: logger)
        let first = try await services.prompts.createPrompt(
            projectID: project.id, name: "Describe", text: "Describe the image.", createdBy: admin.id)
        let uploader = ImageUploader(images: services.images, maxFileBytes: 50 * 1024 * 1024)
        var stored: [(DemoImage, Image)] = []
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
            _ = try await services.regions.createRegionVersion(
                imageID: image.id, regions: regions, summary: "demo regions", createdBy: admin.id)
            stored.append((demo, image))
        }
        // Version 1 gets its runs, then the prompt is edited: version 2 with the better runs.
        try await createRuns(stored, version: first, index: 0, projectID: project.id, adminID: admin.id)
        let second = try await services.prompts.editPrompt(
            versionID: first.id, name: "Describe",
            text: "Describe the main subject of the image and name every object you see explicitly.",
            editedBy: admin.id)
        try await createRuns(stored, version: second, index: 1, projectID: project.id, adminID: admin.id)
        logger.info("demo project seeded", metadata: ["project": "\(project.id)"])
        return true
    }

    func createRuns(
        _ stored: [(DemoImage, Image)], version: PromptVersion, index: Int, projectID: Project.ID, adminID: User.ID
    ) async throws {
        for (demo, image) in stored where demo.runs.indices.contains(index) {
            let run = demo.runs[index]
            var heatmaps = run.blobs.map { label, cx, cy, sigma in
                NewHeatmap(
                    label: label, map: Self.syntheticBlob(cx: cx, cy: cy, sigma: sigma), source: .upload,
                    fileName: "synthetic-\(label).npy")
            }
            if heatmaps.isEmpty {
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
