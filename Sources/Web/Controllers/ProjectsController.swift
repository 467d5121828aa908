import Foundation
import Hummingbird
import Storage

/// Projects, their settings (default thresholds) and members.
public struct ProjectsController: Sendable {
    let services: AppServices
    let access: ProjectAccess

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
    }

    struct ProjectForm: Decodable {
        var name: String?
        var description: String?
    }

    struct SettingsForm: Decodable {
        var name: String?
        var description: String?
        var min_energy: String?
        var min_coverage: String?
        var max_energy: String?
        var hot_threshold: String?
    }

    struct MemberForm: Decodable {
        var email: String?
        var role: String?
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/new") { _, context in
            services.views.renderPage("projects/new", title: "New project", values: ["name": "", "description": ""], context: context)
        }
        group.post("/projects") { request, context in
            let user = try context.requireIdentity()
            let form = try await URLEncodedFormDecoder().decode(ProjectForm.self, from: request, context: context)
            do {
                let project = try await services.projects.createProject(
                    name: form.name ?? "", description: form.description ?? "", creator: user.id)
                return Response.redirect(to: "/projects/\(project.id)", type: .normal)
            } catch StorageError.invalidValue(let message) {
                return services.views.renderPage(
                    "projects/new", title: "New project",
                    values: ["name": form.name ?? "", "description": form.description ?? "", "error": message],
                    context: context, status: .badRequest)
            }
        }
        group.get("/projects/:project") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let thresholds = try await services.projects.findThresholds(projectID: grant.project.id)
            return services.views.renderPage(
                "projects/show", title: grant.project.name,
                values: projectValues(grant).merging(["thresholds": thresholdValues(thresholds)]) { $1 },
                context: context)
        }
        group.get("/projects/:project/settings") { _, context in
            let grant = try await access.authorize(.editSettings, projectID: context.parameters.get("project"), context: context)
            let thresholds = try await services.projects.findThresholds(projectID: grant.project.id)
            return services.views.renderPage(
                "projects/settings", title: "Settings · \(grant.project.name)",
                values: projectValues(grant).merging(["thresholds": thresholdValues(thresholds)]) { $1 },
                context: context)
        }
        group.post("/projects/:project/settings") { request, context in
            let grant = try await access.authorize(.editSettings, projectID: context.parameters.get("project"), context: context)
            let form = try await URLEncodedFormDecoder().decode(SettingsForm.self, from: request, context: context)
            func number(_ text: String?, _ fallback: Float) -> Float {
                guard let text, !text.isEmpty else { return fallback }
                return Float(text.trimmingCharacters(in: .whitespaces)) ?? .nan
            }
            let defaults = ProjectThresholds.defaults
            let thresholds = ProjectThresholds(
                minEnergy: number(form.min_energy, defaults.minEnergy),
                minCoverage: number(form.min_coverage, defaults.minCoverage),
                maxEnergy: number(form.max_energy, defaults.maxEnergy),
                hotThreshold: number(form.hot_threshold, defaults.hotThreshold))
            do {
                try await services.projects.updateProject(
                    id: grant.project.id, name: form.name ?? grant.project.name,
                    description: form.description ?? grant.project.description, actor: grant.user.id)
                try await services.projects.updateThresholds(
                    projectID: grant.project.id, thresholds: thresholds, actor: grant.user.id)
            } catch StorageError.invalidValue(let message) {
                return services.views.renderPage(
                    "projects/settings", title: "Settings · \(grant.project.name)",
                    values: projectValues(grant).merging(["thresholds": thresholdValues(thresholds), "error": message]) { $1 },
                    context: context, status: .badRequest)
            }
            return Response.redirect(to: "/projects/\(grant.project.id)", type: .normal)
        }
        group.get("/projects/:project/members") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            return try await renderMembers(grant, context: context)
        }
        group.post("/projects/:project/members") { request, context in
            let grant = try await access.authorize(.manageMembers, projectID: context.parameters.get("project"), context: context)
            let form = try await URLEncodedFormDecoder().decode(MemberForm.self, from: request, context: context)
            guard let role = form.role.flatMap(ProjectRole.init(rawValue:)) else {
                return try await renderMembers(grant, context: context, error: "Choose a role.", status: .badRequest)
            }
            guard let user = try await services.users.findUser(email: form.email ?? "") else {
                return try await renderMembers(
                    grant, context: context, error: "No account uses that e-mail address; an administrator creates accounts.",
                    status: .badRequest)
            }
            if role != .manager, try await isLastManager(grant.project.id, user.id) {
                return try await renderMembers(
                    grant, context: context, error: "A project keeps at least one manager.", status: .badRequest)
            }
            try await services.projects.upsertMember(
                projectID: grant.project.id, userID: user.id, role: role, actor: grant.user.id)
            return Response.redirect(to: "/projects/\(grant.project.id)/members", type: .normal)
        }
        group.post("/projects/:project/members/:user/delete") { _, context in
            let grant = try await access.authorize(.manageMembers, projectID: context.parameters.get("project"), context: context)
            guard let userID = context.parameters.get("user").flatMap(User.ID.init) else {
                throw HTTPError(.notFound, message: "No such member.")
            }
            if try await isLastManager(grant.project.id, userID) {
                return try await renderMembers(
                    grant, context: context, error: "A project keeps at least one manager.", status: .badRequest)
            }
            try await services.projects.deleteMember(projectID: grant.project.id, userID: userID, actor: grant.user.id)
            return Response.redirect(to: "/projects/\(grant.project.id)/members", type: .normal)
        }
    }

    func isLastManager(_ projectID: Project.ID, _ userID: User.ID) async throws -> Bool {
        let managers = try await services.projects.listMembers(projectID: projectID).filter { $0.role == .manager }
        return managers.count == 1 && managers[0].userID == userID
    }

    func renderMembers(
        _ grant: ProjectAccess.Grant, context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let members = try await services.projects.listMembers(projectID: grant.project.id)
        let canManage = grant.allows(.manageMembers)
        let rows: [[String: Any]] = members.map { member in
            [
                "userID": member.userID.description, "email": member.email, "displayName": member.displayName,
                "role": member.role.rawValue, "canManage": canManage,
                "roleOptions": ProjectRole.allCases.map { ["value": $0.rawValue, "selected": $0 == member.role] },
            ]
        }
        var values = projectValues(grant)
        values["members"] = rows
        values["roles"] = ProjectRole.allCases.map { ["value": $0.rawValue] }
        if let error { values["error"] = error }
        return services.views.renderPage(
            "projects/members", title: "Members · \(grant.project.name)", values: values, context: context, status: status)
    }

    func projectValues(_ grant: ProjectAccess.Grant) -> [String: Any] {
        var permissions: [String: Any] = [:]
        for action in ProjectAction.allCases { permissions[action.rawValue] = grant.allows(action) }
        return [
            "project": [
                "id": grant.project.id.description, "name": grant.project.name,
                "description": grant.project.description,
            ] as [String: Any],
            "role": grant.role?.rawValue ?? "admin",
            "can": permissions,
        ]
    }

    func thresholdValues(_ thresholds: ProjectThresholds) -> [String: Any] {
        func format(_ value: Float) -> String { value.isNaN ? "" : String(format: "%.2f", value) }
        return [
            "minEnergy": format(thresholds.minEnergy), "minCoverage": format(thresholds.minCoverage),
            "maxEnergy": format(thresholds.maxEnergy), "hotThreshold": format(thresholds.hotThreshold),
        ]
    }
}
