import Hummingbird
import Storage

/// `GET /`: the signed-in user's projects (every project for administrators).
public struct HomeController: Sendable {
    let services: AppServices

    public init(services: AppServices) {
        self.services = services
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/") { _, context in
            let user = try context.requireIdentity()
            let projects =
                user.isAdmin
                ? try await services.projects.listProjects()
                : try await services.projects.listProjects(memberID: user.id)
            let rows: [[String: Any]] = projects.map {
                ["id": $0.id.description, "name": $0.name, "description": $0.description]
            }
            return services.views.renderPage(
                "home/index", title: "Projects",
                values: ["projects": rows, "hasProjects": !rows.isEmpty], context: context)
        }
    }
}
