/// Whether a region should receive attention (`focus`, the default) or must not (`avoid`) — scoring.md §5.
public enum RegionKind: String, Sendable, Equatable, CaseIterable {
    case focus
    case avoid
}
