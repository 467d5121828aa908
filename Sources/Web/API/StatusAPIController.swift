import Engine
import Foundation
import Hummingbird
import Storage

/// `GET /api/v1/prompt-versions/{id}/status` (Bearer token of the prompt version's project, any role): the
/// sign-off status — `approved`, `rejected`, `stale` or `pending` — with the current digest, the signed digest and
/// what changed since the sign-off. `sightline gate` reads it.
public struct StatusAPIController: Sendable {
    let services: AppServices
    let access: APIAccess

    public init(services: AppServices) {
        self.services = services
        self.access = APIAccess(tokens: services.tokens, users: services.users, projects: services.projects)
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        let api = router.group("/api/v1").add(middleware: APIErrorMiddleware())
        api.get("/prompt-versions/:version/status") { request, context in
            let caller = try await access.authenticate(request, for: .viewProject)
            guard let raw = context.parameters.get("version"), let id = PromptVersion.ID(raw),
                let version = try await services.prompts.findPromptVersion(id: id),
                version.projectID == caller.project.id,
                let state = try await services.signOffs.evaluateStatus(promptVersionID: id)
            else {
                throw APIError.notFound("No such prompt version in this token's project.")
            }
            return APIResponse.json(Self.statusJSON(version: version, state: state))
        }
    }

    /// The response body.
    static func statusJSON(version: PromptVersion, state: SignOffState) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("prompt_version_id", .string(version.id.description)),
            ("project_id", .string(version.projectID.description)),
            ("prompt", .string(version.name)),
            ("version", .number(Double(version.version))),
            ("status", .string(state.status.rawValue)),
            ("digest", .string(state.currentDigest)),
            ("signed_digest", state.latest.map { .string($0.digest) } ?? .null),
            ("changes", .array(state.changes.map(ReportController.changeJSON))),
            ("scoring_in_progress", .number(Double(state.openScoringJobs))),
        ]
        if let latest = state.latest {
            members.append(
                ("sign_off", .object([
                    ("id", .string(latest.id.description)),
                    ("decision", .string(latest.decision.rawValue)),
                    ("override", .bool(latest.override)),
                    ("reviewer", .string(latest.reviewerName)),
                    ("comment", .string(latest.comment)),
                    ("signed_at", .string(ISO8601DateFormatter().string(from: latest.createdAt))),
                ])))
        } else {
            members.append(("sign_off", .null))
        }
        return .object(members)
    }
}
