import Engine
import Foundation
import Hummingbird
import Storage

/// Project images: the grid with upload form, uploads (one file per request from `static/js/upload.js`, or many
/// from the plain form), the stored bytes (original, display copy, thumbnail) and deletion.
public struct ImagesController: Sendable {
    let services: AppServices
    let access: ProjectAccess
    let uploader: ImageUploader

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
        self.uploader = ImageUploader(
            images: services.images, maxFileBytes: services.configuration.maxUploadBytes)
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/images") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            return try await renderGrid(grant, context: context)
        }
        group.post("/projects/:project/images") { request, context in
            let grant = try await access.authorize(
                .manageImages, projectID: context.parameters.get("project"), context: context)
            return try await upload(request, grant: grant, context: context)
        }
        for variant in ImageVariant.allCases {
            group.get("/projects/:project/images/:image/\(variant.rawValue)") { _, context in
                let (_, image) = try await authorizeImage(.viewProject, context: context)
                guard let bytes = try await services.images.fetchBytes(imageID: image.id, variant: variant) else {
                    throw HTTPError(.notFound, message: "No such image.")
                }
                let type = variant == .original && image.format == "png" ? "image/png" : "image/jpeg"
                var headers: HTTPFields = [.contentType: type, .cacheControl: "private, max-age=86400"]
                if variant == .original {
                    let name = image.fileName.isEmpty ? "image.\(image.format == "png" ? "png" : "jpg")" : image.fileName
                    let ascii = String(name.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 })
                    headers[.contentDisposition] = "inline; filename=\"\(ascii)\""
                }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
            }
        }
        group.post("/projects/:project/images/:image/delete") { _, context in
            let (grant, image) = try await authorizeImage(.manageImages, context: context)
            try await services.images.deleteImage(id: image.id, actor: grant.user.id)
            return Response.redirect(to: "/projects/\(grant.project.id)/images", type: .normal)
        }
    }

    /// Resolves `:project` and `:image` for `action`; 404 when the image is not in the project.
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

    func upload(_ request: Request, grant: ProjectAccess.Grant, context: AppRequestContext) async throws -> Response {
        let wantsJSON = (request.headers[.accept] ?? "").contains("application/json")
        guard let boundary = UploadForm.boundary(contentType: request.headers[.contentType] ?? "") else {
            throw HTTPError(.unsupportedMediaType, message: "Send the images as multipart/form-data.")
        }
        // One file per request from the script; the plain form may carry several.
        let limit = context.maxUploadSize * 4 + 64 * 1024
        var request = request
        let body = try await request.collectBody(upTo: limit)
        let form: UploadForm
        do {
            form = try UploadForm.parseForm(body, boundary: boundary)
        } catch {
            throw HTTPError(.badRequest, message: "The upload is not well-formed multipart data.")
        }
        let files = form.fileParts("files") + form.fileParts("file")
        var outcomes: [UploadOutcome] = []
        for file in files {
            outcomes.append(
                try await uploader.uploadImage(
                    file.body, fileName: file.fileName, projectID: grant.project.id, uploadedBy: grant.user.id))
        }
        if wantsJSON {
            return uploadResponseJSON(outcomes, projectID: grant.project.id)
        }
        if outcomes.isEmpty {
            return try await renderGrid(grant, context: context, error: "Choose one or more image files.", status: .badRequest)
        }
        return try await renderGrid(grant, context: context, outcomes: outcomes)
    }

    /// `{"results": [{"file_name", "status": "uploaded"|"duplicate"|"rejected", "message", "image"?: {...},
    /// "error"?: {"code", "message"}}]}`; 201 when something was stored, 200 for duplicates only, 422 when every
    /// file was refused (400 without files).
    func uploadResponseJSON(_ outcomes: [UploadOutcome], projectID: Project.ID) -> Response {
        var results: [JSONValue] = []
        for outcome in outcomes {
            var members: [(String, JSONValue)] = [("file_name", .string(outcome.fileName))]
            switch outcome {
            case .uploaded(let image), .duplicate(let image):
                let isNew = if case .uploaded = outcome { true } else { false }
                let base = "/projects/\(projectID)/images/\(image.id)"
                members.append(("status", .string(isNew ? "uploaded" : "duplicate")))
                members.append(("message", .string(outcome.message)))
                members.append(
                    ("image",
                     .object([
                        ("id", .string(image.id.description)), ("file_name", .string(image.fileName)),
                        ("width", .number(Double(image.width))), ("height", .number(Double(image.height))),
                        ("format", .string(image.format)), ("url", .string(base)),
                        ("thumbnail_url", .string("\(base)/thumbnail")),
                     ])))
            case .rejected(_, let error):
                members.append(("status", .string("rejected")))
                members.append(("message", .string(outcome.message)))
                members.append(
                    ("error", .object([("code", .string(error.code.rawValue)), ("message", .string(error.message))])))
            }
            results.append(.object(members))
        }
        let status: HTTPResponse.Status
        if outcomes.isEmpty {
            status = .badRequest
        } else if outcomes.contains(where: { if case .uploaded = $0 { true } else { false } }) {
            status = .created
        } else if outcomes.allSatisfy({ if case .rejected = $0 { true } else { false } }) {
            status = .unprocessableContent
        } else {
            status = .ok
        }
        let json = JSONWriter.serialize(.object([("results", .array(results))]))
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    func renderGrid(
        _ grant: ProjectAccess.Grant, context: AppRequestContext, outcomes: [UploadOutcome] = [], error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let images = try await services.images.listImages(projectID: grant.project.id)
        let current = try await services.regions.listCurrentRegionVersions(projectID: grant.project.id)
        var versionByImage: [Image.ID: Int] = [:]
        for version in current { versionByImage[version.imageID] = version.version }
        var values = DesignPageValues.projectValues(grant)
        values["images"] = images.map {
            DesignPageValues.imageValues($0, projectID: grant.project.id, currentVersion: versionByImage[$0.id])
        }
        values["hasImages"] = !images.isEmpty
        values["imageCount"] = images.count
        values["maxUploadMB"] = services.configuration.maxUploadBytes / (1024 * 1024)
        values["results"] = outcomes.map { outcome -> [String: Any] in
            let kind: String =
                switch outcome {
                case .uploaded: "uploaded"
                case .duplicate: "duplicate"
                case .rejected: "rejected"
                }
            return ["fileName": outcome.fileName, "message": outcome.message, "kind": kind]
        }
        values["hasResults"] = !outcomes.isEmpty
        if let error { values["error"] = error }
        return services.views.renderPage(
            "images/index", title: "Images · \(grant.project.name)", values: values, context: context, status: status)
    }
}
