/// A scoring result to record (see `RunScore`).
public struct NewRunScore: Sendable {
    public var verdict: String
    public var diagnosisJSON: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var engineVersion: String
    public var regionVersionID: RegionVersion.ID?
    public var thresholdsJSON: String

    public init(
        verdict: String, diagnosisJSON: String?, errorCode: String?, errorMessage: String?, engineVersion: String,
        regionVersionID: RegionVersion.ID?, thresholdsJSON: String
    ) {
        self.verdict = verdict
        self.diagnosisJSON = diagnosisJSON
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.engineVersion = engineVersion
        self.regionVersionID = regionVersionID
        self.thresholdsJSON = thresholdsJSON
    }
}
