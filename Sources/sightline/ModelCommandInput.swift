import VisionModel

/// What the model subcommands (`classify`, `gradcam`) read before they compute: the image as the network's input
/// and the network with its weights (`--weights`, else `SIGHTLINE_MODEL_WEIGHTS`, else `.data/models/`).
struct ModelCommandInput {
    let input: ModelInput
    let network: EfficientNetLite0

    /// Reads both; every failure names the file it came from.
    init(image: String, weights: String?) throws {
        do {
            input = try ModelInput(contentsOfImage: image)
        } catch {
            throw ModelCommandFailure("\(image): \(error)")
        }
        let weightsPath = try EfficientNetLite0.weightsPath(explicit: weights)
        do {
            network = try EfficientNetLite0(contentsOf: weightsPath)
        } catch {
            throw ModelCommandFailure("weights \(weightsPath): \(error)")
        }
    }

    /// Both parts, for a destructuring `let`.
    func unpack() -> (ModelInput, EfficientNetLite0) { (input, network) }
}
