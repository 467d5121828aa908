import Foundation
import Hummingbird
import Storage

/// Records a reviewer's sign-off of a prompt version (approve or reject, with a comment; an approval despite
/// failing verdicts is an override that needs one). Refused — with the review page re-rendered — while runs are
/// being scored, when the data changed since the page was loaded, or when someone else signed off meanwhile.
public struct SignOffController: Sendable {
    let services: AppServices
    let access: ProjectAccess
    let review: ReviewController

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
        self.review = ReviewController(services: services)
    }

    struct SignOffForm: Decodable {
        var decision: String?
        var comment: String?
        var digest: String?
        var expected_sequence: String?
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects/:project/prompt-versions/:version/signoffs") { request, context in
            let grant = try await access.authorize(.signOff, projectID: context.parameters.get("project"), context: context)
            let version = try await review.findVersion(context.parameters.get("version"), in: grant)
            let form = try await URLEncodedFormDecoder().decode(SignOffForm.self, from: request, context: context)
            let comment = form.comment ?? ""
            guard let decision = form.decision.flatMap(SignOffDecision.init(rawValue:)) else {
                return try await review.renderReview(
                    grant: grant, version: version, failuresOnly: false, context: context,
                    error: "Choose approve or reject.", form: ("", comment), status: .badRequest)
            }
            let digest = form.digest.flatMap { $0.isEmpty ? nil : $0 }
            let sequence = form.expected_sequence.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            do {
                _ = try await services.signOffs.createSignOff(
                    NewSignOff(
                        promptVersionID: version.id, reviewerID: grant.user.id, reviewerName: grant.user.displayName,
                        decision: decision, comment: comment, expectedDigest: digest, expectedSequence: sequence))
            } catch let refusal as SignOffRefusal {
                let status: HTTPResponse.Status
                switch refusal {
                case .commentRequired: status = .badRequest
                case .scoringInProgress, .reviewChanged, .signOffChanged: status = .conflict
                }
                return try await review.renderReview(
                    grant: grant, version: version, failuresOnly: false, context: context,
                    error: refusal.description, form: (decision.rawValue, comment), status: status)
            }
            return Response.redirect(
                to: "/projects/\(grant.project.id)/prompt-versions/\(version.id)/review?signed=1", type: .normal)
        }
    }
}
