/// One classification result: an ImageNet class, its raw logit and its softmax probability.
public struct ClassPrediction: Sendable, Equatable {
    /// The class index (0…999).
    public let index: Int
    /// The class name (`imagenet_classes.txt`).
    public let name: String
    /// The raw logit.
    public let logit: Float
    /// softmax(logits)[index].
    public let probability: Double

    public init(index: Int, name: String, logit: Float, probability: Double) {
        self.index = index
        self.name = name
        self.logit = logit
        self.probability = probability
    }
}
