import Storage

/// Something a user does inside a project; each action names the project roles allowed to do it.
/// Administrators may do everything; non-members see 404.
public enum ProjectAction: String, Sendable, CaseIterable {
    case viewProject
    case editSettings
    case manageMembers
    case manageImages
    case editRegions
    case managePrompts
    case runScoring
    case manageTokens
    case signOff

    /// Roles allowed to perform the action (administrators always are).
    public var allowedRoles: Set<ProjectRole> {
        switch self {
        case .viewProject: [.manager, .engineer, .reviewer]
        case .editSettings, .manageMembers, .manageImages, .editRegions: [.manager]
        case .managePrompts, .runScoring, .manageTokens: [.engineer]
        case .signOff: [.reviewer]
        }
    }
}
