import Engine
import Foundation
import Hummingbird
import Storage

/// Imports regions from COCO instances or Label Studio JSON files (matched to project images by file name; one
/// new regions version per affected image) and exports the project's current regions as COCO JSON.
public struct RegionImportController: Sendable {
    let services: AppServices
    let access: ProjectAccess

    public init(services: AppServices) {
        self.services = services
        self.access = ProjectAccess(projects: services.projects)
    }

    /// One line of the import report.
    struct ReportRow {
        var fileName: String
        var status: String
        var message: String
        var url: String?
    }

    public func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:project/import") { _, context in
            let grant = try await access.authorize(.editRegions, projectID: context.parameters.get("project"), context: context)
            return renderImport(grant, context: context)
        }
        group.post("/projects/:project/import") { request, context in
            let grant = try await access.authorize(.editRegions, projectID: context.parameters.get("project"), context: context)
            guard let boundary = UploadForm.boundary(contentType: request.headers[.contentType] ?? "") else {
                throw HTTPError(.unsupportedMediaType, message: "Send the annotation file as multipart/form-data.")
            }
            var request = request
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            let form: UploadForm
            do {
                form = try UploadForm.parseForm(body, boundary: boundary)
            } catch {
                throw HTTPError(.badRequest, message: "The upload is not well-formed multipart data.")
            }
            guard let file = form.fileParts("file").first, file.body.readableBytes > 0 else {
                return renderImport(grant, context: context, error: "Choose a COCO or Label Studio JSON file.", status: .badRequest)
            }
            let bytes = Array(file.body.readableBytesView)
            let requested = form.textField("format").flatMap(ImportFormat.init(rawValue:))
            let format: ImportFormat
            let entries: [ImportedImage]
            do throws(EngineError) {
                var detected = requested
                if detected == nil { detected = try ImportFormat.detectFormat(bytes) }
                guard let chosen = detected else {
                    throw EngineError(.invalidRegion, "neither a COCO file (images, annotations) nor a Label Studio export (a list of tasks)")
                }
                format = chosen
                entries = try chosen.parseAnnotations(bytes)
            } catch {
                return renderImport(
                    grant, context: context, error: "Nothing imported: \(error.message).", status: .badRequest)
            }
            let rows = try await importEntries(
                entries, grant: grant, source: "\(format.title) file \(ImageUploader.cleanFileName(file.fileName))")
            return renderImport(grant, context: context, format: format, rows: rows)
        }
        group.get("/projects/:project/export/coco.json") { _, context in
            let grant = try await access.authorize(.viewProject, projectID: context.parameters.get("project"), context: context)
            let images = try await services.images.listImages(projectID: grant.project.id)
            var sets: [Image.ID: RegionSet] = [:]
            for version in try await services.regions.listCurrentRegionVersions(projectID: grant.project.id) {
                if let set = try? RegionSet.parse(Array(version.regionsJSON.utf8)) { sets[version.imageID] = set }
            }
            let json = COCOExporter.exportProject(images: images, regions: sets, projectName: grant.project.name)
            let safeName = String(grant.project.name.unicodeScalars.map {
                CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-"
            })
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"\(safeName)-regions-coco.json\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: JSONWriter.serialize(json))))
        }
    }

    /// Matches entries to project images by file name, validates with the engine and stores one version per image.
    func importEntries(_ entries: [ImportedImage], grant: ProjectAccess.Grant, source: String) async throws -> [ReportRow] {
        let images = try await services.images.listImages(projectID: grant.project.id)
        var byName: [String: [Image]] = [:]
        for image in images where !image.fileName.isEmpty { byName[image.fileName.lowercased(), default: []].append(image) }
        var rows: [ReportRow] = []
        var matched: [Image.ID: (image: Image, names: [String], regions: [JSONValue])] = [:]
        var matchOrder: [Image.ID] = []
        for entry in entries {
            var found: Image?
            var ambiguous = false
            for name in [entry.fileName] + entry.alternateNames {
                let candidates = byName[name.lowercased()] ?? []
                if candidates.count == 1 { found = candidates[0]; break }
                if candidates.count > 1 { ambiguous = true; break }
            }
            guard let image = found else {
                rows.append(ReportRow(
                    fileName: entry.fileName, status: "unmatched",
                    message: ambiguous ? "several project images have this file name" : "no project image has this file name"))
                continue
            }
            guard !entry.regions.isEmpty else {
                rows.append(ReportRow(fileName: entry.fileName, status: "skipped", message: "no annotations for this image"))
                continue
            }
            let regions = entry.makeRegionSet(width: image.width, height: image.height)["regions"]?.arrayValue ?? []
            if matched[image.id] == nil {
                matched[image.id] = (image, [], [])
                matchOrder.append(image.id)
            }
            matched[image.id]?.names.append(entry.fileName)
            matched[image.id]?.regions += regions
        }
        for id in matchOrder {
            guard let item = matched[id] else { continue }
            let url = "/projects/\(grant.project.id)/images/\(id)"
            let name = item.names.first ?? item.image.fileName
            do throws(EngineError) {
                let set = try RegionSet.parse(.object([("regions", .array(item.regions))]))
                try RegionSetValidator.validateRegions(set, image: item.image)
                let labels = set.groups.map(\.label)
                let version = try await storeVersion(
                    set, image: item.image, summary: "imported from \(source): \(labels.joined(separator: ", "))",
                    userID: grant.user.id)
                rows.append(ReportRow(
                    fileName: name, status: "imported",
                    message: "\(set.regions.count) region(s) (\(labels.joined(separator: ", "))) saved as version \(version)",
                    url: url))
            } catch {
                rows.append(ReportRow(fileName: name, status: "invalid", message: "nothing saved: \(error.message)", url: url))
            }
        }
        return rows
    }

    /// Stores a version; storage errors other than the engine's are rethrown by the caller's `try`.
    func storeVersion(_ set: RegionSet, image: Image, summary: String, userID: User.ID) async throws(EngineError) -> Int {
        do {
            return try await services.regions.createRegionVersion(
                imageID: image.id, regions: set, summary: summary, createdBy: userID
            ).version
        } catch {
            throw EngineError(.invalidRegion, "could not be stored (\(error))")
        }
    }

    func renderImport(
        _ grant: ProjectAccess.Grant, context: AppRequestContext, format: ImportFormat? = nil, rows: [ReportRow]? = nil,
        error: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = DesignPageValues.projectValues(grant)
        values["formats"] = ImportFormat.allCases.map { ["value": $0.rawValue, "title": $0.title] }
        if let rows {
            values["hasReport"] = true
            values["report"] = rows.map { row -> [String: Any] in
                var item: [String: Any] = ["fileName": row.fileName, "status": row.status, "message": row.message]
                if let url = row.url { item["url"] = url }
                return item
            }
            let imported = rows.filter { $0.status == "imported" }.count
            let unmatched = rows.filter { $0.status == "unmatched" }.count
            let invalid = rows.filter { $0.status == "invalid" }.count
            values["notice"] =
                "\(format?.title ?? "Import"): \(imported) image(s) imported, \(unmatched) unmatched, \(invalid) invalid."
        }
        if let error { values["error"] = error }
        return services.views.renderPage(
            "regions/import", title: "Import regions · \(grant.project.name)", values: values, context: context,
            status: status)
    }
}
