import Foundation
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite("Image repository")
struct ImageRepositoryTests {
    static func makeImage(_ project: Project.ID, _ user: User.ID, sha: String, name: String = "a.png") -> NewImage {
        NewImage(
            projectID: project, fileName: name, sha256: sha, format: "png", width: 640, height: 480,
            original: ByteBuffer(bytes: [1, 2, 3, 4]), displayJPEG: ByteBuffer(bytes: [5, 6]), displayWidth: 640,
            displayHeight: 480, thumbnailJPEG: ByteBuffer(bytes: [7]), uploadedBy: user)
    }

    @Test("create, find, list, fetch bytes, refuse the same SHA-256 twice in a project, delete")
    func images() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let users = UserRepository(client: client, logger: schema.logger)
            let projects = ProjectRepository(client: client, logger: schema.logger)
            let images = ImageRepository(client: client, logger: schema.logger)
            let user = try await users.createUser(email: "m@x.org", displayName: "M", passwordHash: "h", isAdmin: false)
            let first = try await projects.createProject(name: "One", description: "", creator: user.id)
            let second = try await projects.createProject(name: "Two", description: "", creator: user.id)
            let sha = String(repeating: "ab", count: 32)

            let image = try await images.createImage(Self.makeImage(first.id, user.id, sha: sha))
            #expect(image.projectID == first.id)
            #expect(image.width == 640 && image.height == 480 && image.format == "png")
            #expect(try await images.findImage(id: image.id) == image)
            #expect(try await images.findImage(projectID: first.id, sha256: sha)?.id == image.id)
            #expect(try await images.findImage(projectID: second.id, sha256: sha) == nil)
            #expect(try await images.fetchOriginal(imageID: image.id).map { Array($0.readableBytesView) } == [1, 2, 3, 4])
            #expect(try await images.fetchDisplay(imageID: image.id).map { Array($0.readableBytesView) } == [5, 6])
            #expect(try await images.fetchThumbnail(imageID: image.id).map { Array($0.readableBytesView) } == [7])
            #expect(try await images.fetchOriginal(imageID: Image.ID.generate()) == nil)

            await #expect(throws: StorageError.self) {
                try await images.createImage(Self.makeImage(first.id, user.id, sha: sha, name: "again.png"))
            }
            // The same bytes in another project are a different image.
            let other = try await images.createImage(Self.makeImage(second.id, user.id, sha: sha))
            #expect(other.id != image.id)
            await #expect(throws: StorageError.self) {
                try await images.createImage(Self.makeImage(Project.ID.generate(), user.id, sha: String(repeating: "cd", count: 32)))
            }

            let later = try await images.createImage(
                Self.makeImage(first.id, user.id, sha: String(repeating: "ef", count: 32), name: "b.png"))
            #expect(try await images.listImages(projectID: first.id).map(\.id) == [image.id, later.id])
            #expect(try await images.countImages(projectID: first.id) == 2)
            try await images.deleteImage(id: image.id)
            #expect(try await images.listImages(projectID: first.id).map(\.id) == [later.id])
        }
    }
}
