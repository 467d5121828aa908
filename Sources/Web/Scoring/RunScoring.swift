import Engine
import Foundation
import Storage

/// Turns a `ScoringSnapshot` into the score to record: the engine's diagnosis, or the §7 error that stopped it.
/// Pure and synchronous: callers run it off the event loop.
public enum RunScoring {
    /// Pointing-game tolerance used for every stored score (scoring.md §4 default).
    public static let pointingTolerance = 15.0

    /// The engine options for a project's thresholds.
    public static func makeOptions(_ thresholds: ProjectThresholds) -> ScoringOptions {
        ScoringOptions(
            hotThreshold: decimal(thresholds.hotThreshold), pointingTolerance: pointingTolerance,
            thresholds: ScoringThresholds(
                minEnergy: decimal(thresholds.minEnergy), minCoverage: decimal(thresholds.minCoverage),
                maxEnergy: decimal(thresholds.maxEnergy)))
    }

    /// The stored `thresholds` JSON of a score.
    public static func makeThresholdsJSON(_ thresholds: ProjectThresholds) -> String {
        JSONWriter.serialize(
            .object([
                ("min_energy", .number(decimal(thresholds.minEnergy))),
                ("min_coverage", .number(decimal(thresholds.minCoverage))),
                ("max_energy", .number(decimal(thresholds.maxEnergy))),
                ("hot_threshold", .number(decimal(thresholds.hotThreshold))),
                ("pointing_tolerance", .number(pointingTolerance)),
            ]))
    }

    /// A `real` column's value as the decimal the manager typed (0.7, not 0.699999988…).
    static func decimal(_ value: Float) -> Double {
        Double("\(value)") ?? Double(value)
    }

    /// The parsed regions of the snapshot's current version.
    public static func parseRegions(_ version: RegionVersion) throws(EngineError) -> RegionSet {
        try RegionSet.parse(Array(version.regionsJSON.utf8))
    }

    /// Scores the snapshot.
    public static func score(_ snapshot: ScoringSnapshot) -> NewRunScore {
        let thresholdsJSON = makeThresholdsJSON(snapshot.thresholds)
        func failure(_ code: String, _ message: String) -> NewRunScore {
            NewRunScore(
                verdict: "error", diagnosisJSON: nil, errorCode: code, errorMessage: message,
                engineVersion: EngineVersion.current, regionVersionID: snapshot.regionVersion?.id,
                thresholdsJSON: thresholdsJSON)
        }
        guard let version = snapshot.regionVersion else {
            return failure("no_regions", "The image has no regions yet; a manager draws them, then the run is scored.")
        }
        do throws(EngineError) {
            let regions = try parseRegions(version)
            let input = ScoringInput(
                width: snapshot.imageWidth, height: snapshot.imageHeight, regions: regions,
                heatmaps: snapshot.heatmaps.map { ($0.heatmap.label, $0.map) }, description: snapshot.run.description)
            let diagnosis = try Scorer.diagnose(input, options: makeOptions(snapshot.thresholds))
            return NewRunScore(
                verdict: diagnosis.passed ? "pass" : "fail", diagnosisJSON: diagnosis.jsonText(), errorCode: nil,
                errorMessage: nil, engineVersion: EngineVersion.current, regionVersionID: version.id,
                thresholdsJSON: thresholdsJSON)
        } catch {
            return failure(error.code.rawValue, error.message)
        }
    }
}
