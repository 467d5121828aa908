import Engine
import Foundation
import Storage
import VisionModel

/// A focus region (all regions sharing a label) of an image and the ImageNet class its label or aliases name,
/// if any (exact or plural, `ImageNetClasses.match(label:aliases:)`).
public struct BuiltInRegionMatch: Sendable, Equatable {
    public var label: String
    public var aliases: [String]
    /// The automatically matched class, or `nil`.
    public var matchedClass: Int?

    public init(label: String, aliases: [String], matchedClass: Int?) {
        self.label = label
        self.aliases = aliases
        self.matchedClass = matchedClass
    }

    /// The focus regions of a regions version with their matches, in order; empty without a version.
    public static func listFocusRegions(_ version: RegionVersion?) -> [BuiltInRegionMatch] {
        guard let version, let set = try? RegionSet.parse(Array(version.regionsJSON.utf8)) else { return [] }
        return set.groups.filter { $0.kind == .focus }.map {
            BuiltInRegionMatch(
                label: $0.label, aliases: $0.aliases, matchedClass: ImageNetClasses.match(label: $0.label, aliases: $0.aliases))
        }
    }

    /// The targets of a request. `choices[i]` is what the user typed or picked for region `i` (a class name, a
    /// synonym, a plural or an index; empty = leave the region out); `nil` (no choices at all) means "every focus
    /// region whose label or alias is an ImageNet class".
    ///
    /// Throws `.noRegions` without focus regions, `.unknownClass` for a choice that names no class, `.noTargets`
    /// when nothing is left.
    public static func resolveTargets(_ regions: [BuiltInRegionMatch], choices: [Int: String]?) throws(BuiltInHeatmapError)
        -> [BuiltInTarget]
    {
        guard !regions.isEmpty else {
            throw BuiltInHeatmapError(
                .noRegions, "The image has no focus regions yet: a manager draws them first, then heatmaps can be computed.")
        }
        var targets: [BuiltInTarget] = []
        for (index, region) in regions.enumerated() {
            if let choices {
                let typed = (choices[index] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if typed.isEmpty { continue }
                guard let classIndex = ImageNetClasses.resolve(typed) else {
                    throw BuiltInHeatmapError(
                        .unknownClass,
                        "'\(typed)' (chosen for region '\(region.label)') is not one of the 1000 ImageNet classes: pick a name from the list.")
                }
                targets.append(BuiltInTarget(label: region.label, classIndex: classIndex))
            } else if let classIndex = region.matchedClass {
                targets.append(BuiltInTarget(label: region.label, classIndex: classIndex))
            }
        }
        guard !targets.isEmpty else {
            let labels = regions.map { "'\($0.label)'" }.joined(separator: ", ")
            throw BuiltInHeatmapError(
                .noTargets,
                "No focus region's label or alias is an ImageNet class (\(labels)), so there is nothing the built-in "
                    + "model can explain. Choose a class for a region from the list (e.g. 'tabby' or 'sports car').")
        }
        return targets
    }
}
