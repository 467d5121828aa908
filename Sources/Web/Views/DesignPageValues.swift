import Foundation
import Storage

/// Mustache values shared by the image, region and import pages (project header and permissions, image rows).
enum DesignPageValues {
    /// `project`, `role` and `can.<action>` for `partials/project-nav` and permission-dependent controls.
    static func projectValues(_ grant: ProjectAccess.Grant) -> [String: Any] {
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

    /// One image of the grid.
    static func imageValues(_ image: Image, projectID: Project.ID, currentVersion: Int?) -> [String: Any] {
        let base = "/projects/\(projectID)/images/\(image.id)"
        return [
            "id": image.id.description, "fileName": image.fileName.isEmpty ? "(no name)" : image.fileName,
            "width": image.width, "height": image.height, "format": image.format,
            "url": base, "thumbnailURL": "\(base)/thumbnail", "displayURL": "\(base)/display",
            "originalURL": "\(base)/original",
            "hasRegions": currentVersion != nil, "regionVersion": currentVersion ?? 0,
            "status": currentVersion.map { "regions v\($0)" } ?? "needs regions",
        ]
    }

    /// `2026-11-29 13:05 UTC`.
    static func formatDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
