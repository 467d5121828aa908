import Engine
import Foundation
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite("Region repository")
struct RegionRepositoryTests {
    @Test("versions count up per image, the highest is current, old ones stay readable with their author")
    func versions() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let users = UserRepository(client: client, logger: schema.logger)
            let projects = ProjectRepository(client: client, logger: schema.logger)
            let images = ImageRepository(client: client, logger: schema.logger)
            let regions = RegionRepository(client: client, logger: schema.logger)
            let user = try await users.createUser(email: "m@x.org", displayName: "Mia", passwordHash: "h", isAdmin: false)
            let project = try await projects.createProject(name: "P", description: "", creator: user.id)
            let image = try await images.createImage(
                ImageRepositoryTests.makeImage(project.id, user.id, sha: String(repeating: "0a", count: 32)))
            let other = try await images.createImage(
                ImageRepositoryTests.makeImage(project.id, user.id, sha: String(repeating: "0b", count: 32), name: "b.png"))
            #expect(try await regions.findCurrentRegionVersion(imageID: image.id) == nil)

            let first = RegionSet(regions: [
                Region(label: "dog", aliases: ["puppy"], shapes: [.rect(x: 10, y: 20, width: 30.5, height: 40)])
            ])
            let second = RegionSet(regions: [
                Region(label: "dog", shapes: [.polygon(points: [(1, 1), (50, 2), (25, 40.25)])]),
                Region(label: "sky", kind: .avoid, maxEnergy: 0.2, shapes: [.ellipse(cx: 5, cy: 6, rx: 3, ry: 2, angle: 15)]),
            ])
            let v1 = try await regions.createRegionVersion(imageID: image.id, regions: first, summary: " first ", createdBy: user.id)
            let v2 = try await regions.createRegionVersion(imageID: image.id, regions: second, summary: "second", createdBy: user.id)
            let o1 = try await regions.createRegionVersion(imageID: other.id, regions: first, summary: "", createdBy: nil)
            #expect(v1.version == 1 && v2.version == 2 && o1.version == 1)
            #expect(v1.summary == "first")
            #expect(v2.createdByName == "Mia")
            #expect(o1.createdByName == nil)

            let current = try #require(try await regions.findCurrentRegionVersion(imageID: image.id))
            #expect(current.version == 2)
            #expect(try RegionSet.parse(Array(current.regionsJSON.utf8)) == second, "jsonb round trip")
            let old = try #require(try await regions.findRegionVersion(imageID: image.id, version: 1))
            #expect(try RegionSet.parse(Array(old.regionsJSON.utf8)) == first)
            #expect(try await regions.listRegionVersions(imageID: image.id).map(\.version) == [2, 1])
            let currents = try await regions.listCurrentRegionVersions(projectID: project.id)
            #expect(Set(currents.map { "\($0.imageID)/\($0.version)" }) == ["\(image.id)/2", "\(other.id)/1"])

            await #expect(throws: StorageError.self) {
                _ = try await regions.createRegionVersion(imageID: Image.ID.generate(), regions: first, summary: "", createdBy: nil)
            }
            // Deleting the image deletes its versions.
            try await images.deleteImage(id: image.id)
            #expect(try await regions.listRegionVersions(imageID: image.id).isEmpty)
        }
    }

    @Test("concurrent saves of one image get consecutive version numbers")
    func concurrentSaves() async throws {
        try await TestDatabase.withSchema { schema in
            let client = try schema.requireClient()
            let users = UserRepository(client: client, logger: schema.logger)
            let projects = ProjectRepository(client: client, logger: schema.logger)
            let images = ImageRepository(client: client, logger: schema.logger)
            let regions = RegionRepository(client: client, logger: schema.logger)
            let user = try await users.createUser(email: "m@x.org", displayName: "M", passwordHash: "h", isAdmin: false)
            let project = try await projects.createProject(name: "P", description: "", creator: user.id)
            let image = try await images.createImage(
                ImageRepositoryTests.makeImage(project.id, user.id, sha: String(repeating: "1c", count: 32)))
            let set = RegionSet(regions: [Region(label: "a", shapes: [.rect(x: 0, y: 0, width: 5, height: 5)])])
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await regions.createRegionVersion(imageID: image.id, regions: set, summary: "", createdBy: user.id).version
                    }
                }
                var all: [Int] = []
                for try await version in group { all.append(version) }
                return all.sorted()
            }
            #expect(versions == Array(1...8))
        }
    }
}
