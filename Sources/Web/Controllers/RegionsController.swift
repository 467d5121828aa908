import Engine
import Foundation
import Hummingbird
import Storage

/// The region editor page of one image, its regions as JSON, and saving a new regions version.
public struct RegionsController: Sendable {
    let services: AppServices
    let access: ProjectAccess

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
    }

    struct RegionsForm: Decodable {
        var regions: String?
        var summary: String?
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/images/:image") { request, context in
            let (grant, image) = try await authorizeImage(.viewProject, context: context)
            let requested = request.uri.queryParameters.get("version").flatMap { Int($0) }
            let saved = request.uri.queryParameters.get("saved").flatMap { Int($0) }
            return try await renderEditor(
                grant, image: image, version: requested, context: context,
                notice: saved.map { "Saved as version \($0)." })
        }
        group.get("/projects/:project/images/:image/regions.json") { request, context in
            let (_, image) = try await authorizeImage(.viewProject, context: context)
            let requested = request.uri.queryParameters.get("version").flatMap { Int($0) }
            let version: RegionVersion? =
                if let requested {
                    try await services.regions.findRegionVersion(imageID: image.id, version: requested)
                } else {
                    try await services.regions.findCurrentRegionVersion(imageID: image.id)
                }
            if requested != nil && version == nil { throw HTTPError(.notFound, message: "No such regions version.") }
            let regions: JSONValue =
                if let version, let set = try? RegionSet.parse(Array(version.regionsJSON.utf8)) {
                    set.toJSON()["regions"] ?? .array([])
                } else {
                    .array([])
                }
            let body: JSONValue = .object([
                ("image_id", .string(image.id.description)), ("width", .number(Double(image.width))),
                ("height", .number(Double(image.height))),
                ("version", version.map { .number(Double($0.version)) } ?? .null),
                ("regions", regions),
            ])
            return Self.jsonResponse(body, status: .ok)
        }
        group.post("/projects/:project/images/:image/regions") { request, context in
            let (grant, image) = try await authorizeImage(.editRegions, context: context)
            let isJSON = (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/json")
            var bytes: [UInt8]
            var summary = ""
            if isJSON {
                var request = request
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                bytes = Array(body.readableBytesView)
                if let parsed = try? JSONParser.parse(bytes), let text = parsed["summary"]?.stringValue {
                    summary = text
                }
            } else {
                let form = try await URLEncodedFormDecoder().decode(RegionsForm.self, from: request, context: context)
                bytes = Array((form.regions ?? "").utf8)
                summary = form.summary ?? ""
            }
            let set: RegionSet
            do throws(EngineError) {
                set = try RegionSetValidator.validateRegions(bytes, image: image)
            } catch {
                let message = Self.describeRejection(error)
                if isJSON {
                    return Self.jsonResponse(
                        .object([("error", .object([("code", .string(error.code.rawValue)), ("message", .string(message))]))]),
                        status: .unprocessableContent)
                }
                return try await renderEditor(
                    grant, image: image, version: nil, context: context, submitted: String(decoding: bytes, as: UTF8.self),
                    summary: summary, error: message, status: .badRequest)
            }
            let previous = try await services.regions.findCurrentRegionVersion(imageID: image.id)
                .flatMap { try? RegionSet.parse(Array($0.regionsJSON.utf8)) }
            let trimmed = summary.trimmingCharacters(in: .whitespacesAndNewlines)
            let saved = try await services.regions.createRegionVersion(
                imageID: image.id, regions: set,
                summary: trimmed.isEmpty ? RegionSetValidator.summarizeChanges(from: previous, to: set) : trimmed,
                createdBy: grant.user.id)
            if isJSON {
                return Self.jsonResponse(
                    .object([("version", .number(Double(saved.version))), ("summary", .string(saved.summary))]),
                    status: .created)
            }
            return Response.redirect(
                to: "/projects/\(grant.project.id)/images/\(image.id)?saved=\(saved.version)", type: .normal)
        }
    }

    /// A sentence for the page: the engine's message, with a hint for the usual mistakes.
    static func describeRejection(_ error: EngineError) -> String {
        switch error.code {
        case .emptyRegion:
            "Nothing saved: \(error.message) — none of its shapes covers a pixel of the image."
        case .invalidJSON:
            "Nothing saved: the region set is not valid JSON (\(error.message))."
        default:
            "Nothing saved: \(error.message)."
        }
    }

    static func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: JSONWriter.serialize(value))))
    }

    func authorizeImage(_ action: ProjectAction, context: AppRequestContext) async throws
        -> (ProjectAccess.Grant, Image)
    {
        let grant = try await access.authorize(action, projectID: context.parameters.get("project"), context: context)
        guard let imageID = context.parameters.get("image").flatMap(Image.ID.init),
            let image = try await services.images.findImage(id: imageID), image.projectID == grant.project.id
        else {
            throw HTTPError(.notFound, message: "No such image.")
        }
        return (grant, image)
    }

    func renderEditor(
        _ grant: ProjectAccess.Grant, image: Image, version requested: Int?, context: AppRequestContext,
        submitted: String? = nil, summary: String = "", notice: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let versions = try await services.regions.listRegionVersions(imageID: image.id)
        let current = versions.first
        let shown: RegionVersion?
        if let requested {
            guard let match = versions.first(where: { $0.version == requested }) else {
                throw HTTPError(.notFound, message: "No such regions version.")
            }
            shown = match
        } else {
            shown = current
        }
        let regionsText: String =
            if let submitted {
                submitted
            } else if let shown, let set = try? RegionSet.parse(Array(shown.regionsJSON.utf8)) {
                RegionSetValidator.formatRegions(set)
            } else {
                "{\"regions\": []}"
            }
        let base = "/projects/\(grant.project.id)/images/\(image.id)"
        var values = DesignPageValues.projectValues(grant)
        values["image"] = DesignPageValues.imageValues(image, projectID: grant.project.id, currentVersion: current?.version)
            .merging(["displayWidth": image.displayWidth, "displayHeight": image.displayHeight]) { $1 }
        values["regionsJSON"] = regionsText
        values["summary"] = summary
        values["saveURL"] = "\(base)/regions"
        values["canEdit"] = grant.allows(.editRegions)
        values["versions"] = versions.map { version -> [String: Any] in
            [
                "version": version.version, "author": version.createdByName ?? "(deleted account)",
                "when": DesignPageValues.formatDate(version.createdAt), "summary": version.summary,
                "url": "\(base)?version=\(version.version)", "isShown": version.version == shown?.version,
                "isCurrent": version.version == current?.version,
            ]
        }
        values["hasVersions"] = !versions.isEmpty
        if let shown {
            values["shownVersion"] = shown.version
            values["isOldVersion"] = shown.version != current?.version
        }
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return services.views.renderPage(
            "regions/editor", title: "\(image.fileName) · \(grant.project.name)", values: values, context: context,
            status: status)
    }
}
