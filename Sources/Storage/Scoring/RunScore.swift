import Foundation

/// One scoring of a run: the diagnosis (scoring.md §6 JSON text, key order kept) or the engine error, with
/// everything it depended on — engine version, regions version and thresholds.
public struct RunScore: Sendable, Equatable {
    /// Typed identifier of a score row.
    public struct ID: TypedIdentifier {
        public let rawValue: UUID
        public init(rawValue: UUID) { self.rawValue = rawValue }
    }

    public var id: ID
    public var runID: Run.ID
    /// `pass`, `fail`, or `error` (bad input: the run could not be scored).
    public var verdict: String
    /// The §6 JSON text; `nil` for `error`.
    public var diagnosisJSON: String?
    /// scoring.md §7 code when `verdict == "error"`.
    public var errorCode: String?
    public var errorMessage: String?
    public var engineVersion: String
    /// The regions version scored against (`nil` when the image had no regions or it was deleted).
    public var regionVersionID: RegionVersion.ID?
    /// `{"min_energy", "min_coverage", "max_energy", "hot_threshold", "pointing_tolerance"}` as JSON text.
    public var thresholdsJSON: String
    public var scoredAt: Date

    public init(
        id: ID, runID: Run.ID, verdict: String, diagnosisJSON: String?, errorCode: String?, errorMessage: String?,
        engineVersion: String, regionVersionID: RegionVersion.ID?, thresholdsJSON: String, scoredAt: Date
    ) {
        self.id = id
        self.runID = runID
        self.verdict = verdict
        self.diagnosisJSON = diagnosisJSON
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.engineVersion = engineVersion
        self.regionVersionID = regionVersionID
        self.thresholdsJSON = thresholdsJSON
        self.scoredAt = scoredAt
    }
}
