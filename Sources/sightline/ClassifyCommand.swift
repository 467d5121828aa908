import ArgumentParser
import Foundation
import VisionModel

/// `sightline classify`: the built-in EfficientNet-Lite0's top ImageNet classes for an image.
struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Top ImageNet classes of an image with the built-in EfficientNet-Lite0.",
        discussion: """
            JSON: {"top": [{"index": 285, "name": "Egyptian cat", "logit": 10.43, "probability": 0.757}, …]} \
            (probability = softmax of the logits). Exit status 2 on bad input.
            """
    )

    @Option(name: .long, help: "Image file (JPEG or PNG).")
    var image: String

    @Option(name: .long, help: "Number of classes to list (1…1000).")
    var top: Int = 5

    @Option(name: .long, help: "Output format: json or table.")
    var format: String = "json"

    @Option(name: .long, help: "Weights file (default: $SIGHTLINE_MODEL_WEIGHTS).")
    var weights: String?

    @Option(name: .long, help: "CPU threads.")
    var threads: Int = 1

    func run() async throws {
        do {
            guard (1...ImageNetClasses.count).contains(top) else { throw ModelCommandFailure("--top must be 1…1000") }
            guard format == "json" || format == "table" else { throw ModelCommandFailure("unknown --format \(format) (json or table)") }
            guard (1...64).contains(threads) else { throw ModelCommandFailure("--threads must be 1…64") }
            let (input, network) = try ModelCommandInput(image: image, weights: weights).unpack()
            let predictions = network.infer(input, threads: threads).topClasses(top)
            print(format == "json" ? Self.json(predictions) : Self.table(predictions))
        } catch {
            FileHandle.standardError.write(Data("sightline classify: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    static func json(_ predictions: [ClassPrediction]) -> String {
        let items = predictions.map { p in
            "{\"index\": \(p.index), \"name\": \(quoted(p.name)), \"logit\": \(number(Double(p.logit))), \"probability\": \(number(p.probability))}"
        }
        return "{\"top\": [" + items.joined(separator: ", ") + "]}"
    }

    static func table(_ predictions: [ClassPrediction]) -> String {
        var lines = ["rank  index  probability     logit  name"]
        for (rank, p) in predictions.enumerated() {
            let probability = String(format: "%11.6f", p.probability)
            let logit = String(format: "%9.4f", Double(p.logit))
            let index = String(p.index).padding(toLength: 5, withPad: " ", startingAt: 0)
            let position = String(rank + 1).padding(toLength: 4, withPad: " ", startingAt: 0)
            lines.append("\(position)  \(index)  \(probability) \(logit)  \(p.name)")
        }
        return lines.joined(separator: "\n")
    }

    private static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
