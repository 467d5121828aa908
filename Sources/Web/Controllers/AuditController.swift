import Foundation
import Hummingbird
import Storage

/// The project's audit page (filters: actor, kind, date range) and its CSV export. Entries come from the
/// append-only `audit_log`, written by database triggers on every workflow table. Every member may read it.
public struct AuditController: Sendable {
    let services: AppServices
    let access: ProjectAccess

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/audit") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let (filter, raw, problem) = Self.parseFilter(request.uri.queryParameters)
            let entries = try await services.audit.listEntries(projectID: grant.project.id, filter: filter)
            let kinds = try await services.audit.listKinds(projectID: grant.project.id)
            let actors = try await services.audit.listActors(projectID: grant.project.id)
            var values = DesignPageValues.projectValues(grant)
            values["entries"] = entries.map { entry -> [String: Any] in
                [
                    "id": entry.id, "at": Self.formatTimestamp(entry.createdAt), "actor": Self.actorLabel(entry),
                    "kind": entry.kind, "summary": entry.summary,
                ]
            }
            values["hasEntries"] = !entries.isEmpty
            values["count"] = entries.count
            values["limited"] = entries.count == filter.limit
            values["kinds"] = kinds.map { ["value": $0, "selected": $0 == raw.kind] }
            values["actors"] = actors.map { ["value": $0.id.description, "name": $0.name, "selected": $0.id.description == raw.actor] }
            values["filter"] = ["from": raw.from, "to": raw.to, "kind": raw.kind, "actor": raw.actor]
            values["csvURL"] = "/projects/\(grant.project.id)/audit.csv" + Self.queryString(raw)
            if let problem { values["error"] = problem }
            return services.views.renderPage(
                "audit/index", title: "Audit log · \(grant.project.name)", values: values, context: context,
                status: problem == nil ? .ok : .badRequest)
        }
        group.get("/projects/:project/audit.csv") { request, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            var (filter, _, problem) = Self.parseFilter(request.uri.queryParameters)
            if let problem { throw HTTPError(.badRequest, message: problem) }
            filter.limit = 100_000
            let entries = try await services.audit.listEntries(projectID: grant.project.id, filter: filter)
            var lines = ["id,time_utc,actor_id,actor,kind,summary,subject_table,subject_id,details"]
            for entry in entries {
                lines.append(
                    [
                        String(entry.id), Self.formatTimestamp(entry.createdAt), entry.actorID?.description ?? "",
                        entry.actorName, entry.kind, entry.summary, entry.subjectTable, entry.subjectID,
                        entry.detailsJSON,
                    ].map(Self.quoteCSV).joined(separator: ","))
            }
            let body = lines.joined(separator: "\r\n") + "\r\n"
            let fileName = "sightline-audit-\(grant.project.id).csv"
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(fileName)\"",
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }

    struct RawFilter {
        var actor = ""
        var kind = ""
        var from = ""
        var to = ""
    }

    /// `actor` (user id), `kind`, `from` and `to` (`YYYY-MM-DD`, UTC, both inclusive).
    static func parseFilter(_ query: Parameters) -> (AuditFilter, RawFilter, String?) {
        var raw = RawFilter()
        raw.actor = query.get("actor") ?? ""
        raw.kind = query.get("kind") ?? ""
        raw.from = query.get("from") ?? ""
        raw.to = query.get("to") ?? ""
        var filter = AuditFilter()
        var problem: String?
        if !raw.actor.isEmpty {
            if let id = User.ID(raw.actor) { filter.actorID = id } else { problem = "Unknown actor." }
        }
        if !raw.kind.isEmpty { filter.kind = String(raw.kind.prefix(100)) }
        if !raw.from.isEmpty {
            if let date = parseDay(raw.from) { filter.from = date } else { problem = "Dates are YYYY-MM-DD." }
        }
        if !raw.to.isEmpty {
            if let date = parseDay(raw.to) { filter.until = date.addingTimeInterval(86_400) } else {
                problem = "Dates are YYYY-MM-DD."
            }
        }
        return (filter, raw, problem)
    }

    static func parseDay(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }

    static func queryString(_ raw: RawFilter) -> String {
        let items = [("actor", raw.actor), ("kind", raw.kind), ("from", raw.from), ("to", raw.to)].filter { !$0.1.isEmpty }
        guard !items.isEmpty else { return "" }
        return "?" + items.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._"))) ?? "")"
        }.joined(separator: "&")
    }

    static func actorLabel(_ entry: AuditEntry) -> String {
        if !entry.actorName.isEmpty { return entry.actorName }
        return entry.actorID == nil ? "system" : "unknown"
    }

    /// `2026-11-29 13:05:07 UTC`.
    static func formatTimestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    /// RFC 4180 quoting; a leading `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets don't run it.
    static func quoteCSV(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}
