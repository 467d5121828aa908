import ArgumentParser
import Foundation
import VisionModel

/// `sightline gradcam`: the built-in EfficientNet-Lite0 Grad-CAM map of an image for one ImageNet class.
struct GradCAMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcam",
        abstract: "Raw Grad-CAM map of the built-in EfficientNet-Lite0 for an ImageNet class.",
        discussion: """
            Writes the raw map (max(0, Σ α·A), 7×7 at `head`, 14×14 at `stage5`; no min-max, no resize) as a float32 \
            .npy file ready for `sightline score --heatmap LABEL=FILE`. Without --out the map is printed on stdout as \
            JSON rows, which `sightline score` also reads. Exit status 2 on bad input.
            """
    )

    @Option(name: .long, help: "Image file (JPEG or PNG).")
    var image: String

    @Option(name: .customLong("class"), help: "ImageNet class: an index 0…999 or a name (\"tabby\", \"espresso\", plurals accepted).")
    var classNameOrIndex: String

    @Option(name: .long, help: "Layer: head (7×7) or stage5 (14×14).")
    var layer: String = "head"

    @Option(name: .long, help: "Output .npy file (default: JSON rows on stdout).")
    var out: String?

    @Option(name: .long, help: "Weights file (default: $SIGHTLINE_MODEL_WEIGHTS).")
    var weights: String?

    @Option(name: .long, help: "CPU threads.")
    var threads: Int = 1

    func run() async throws {
        do {
            guard let layer = GradCAMLayer(rawValue: layer) else {
                throw ModelCommandFailure("unknown --layer \(layer) (head or stage5)")
            }
            guard let classIndex = ImageNetClasses.resolve(classNameOrIndex) else {
                let suggestions = ImageNetClasses.search(classNameOrIndex).prefix(5).map { "\($0.index) \($0.name)" }
                let hint = suggestions.isEmpty ? "" : " (did you mean: \(suggestions.joined(separator: ", "))?)"
                throw ModelCommandFailure("--class \(classNameOrIndex) is not an ImageNet class index or name\(hint)")
            }
            guard (1...64).contains(threads) else { throw ModelCommandFailure("--threads must be 1…64") }
            let (input, network) = try ModelCommandInput(image: image, weights: weights).unpack()
            let inference = network.infer(input, threads: threads)
            let map = try network.gradCAM(inference, classIndex: classIndex, layer: layer, threads: threads)
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: Data(map.encodeNPY())) else {
                    throw ModelCommandFailure("cannot write \(out)")
                }
                let name = ImageNetClasses.name(of: classIndex) ?? ""
                let peak = map.values.max() ?? 0
                print("wrote \(out): class \(classIndex) (\(name)), layer \(layer.rawValue), \(map.width)×\(map.height), max \(peak)")
            } else {
                var text = "["
                for y in 0..<map.height {
                    let row = map.values[(y * map.width)..<((y + 1) * map.width)].map { "\($0)" }
                    text += (y == 0 ? "" : ",\n ") + "[" + row.joined(separator: ", ") + "]"
                }
                print(text + "]")
            }
        } catch {
            FileHandle.standardError.write(Data("sightline gradcam: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
