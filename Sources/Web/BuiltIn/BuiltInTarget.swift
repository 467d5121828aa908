import VisionModel

/// One heatmap a built-in job computes: the Grad-CAM map of ImageNet class `classIndex`, stored under the focus
/// region label `label` (so the scorer matches it to that region).
public struct BuiltInTarget: Sendable, Equatable, Codable {
    /// The region label the heatmap is stored under.
    public var label: String
    /// The ImageNet class (0…999) whose logit Grad-CAM explains.
    public var classIndex: Int

    public init(label: String, classIndex: Int) {
        self.label = label
        self.classIndex = classIndex
    }

    /// The class's name (`"tabby, tabby cat"`), or `"class N"` when out of range.
    public var className: String {
        ImageNetClasses.name(of: classIndex) ?? "class \(classIndex)"
    }

    enum CodingKeys: String, CodingKey {
        case label
        case classIndex = "class_index"
    }
}
