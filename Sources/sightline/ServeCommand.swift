import ArgumentParser
import Hummingbird
import Web

/// `sightline serve`: migrates, then serves until SIGINT/SIGTERM (graceful shutdown).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web server (DATABASE_URL, SIGHTLINE_HOST, SIGHTLINE_PORT, … see README)."
    )

    @Flag(help: "Do not apply pending migrations on start.") var skipMigrations = false

    func run() async throws {
        var configuration = try AppConfiguration.fromEnvironment()
        configuration.migrateOnStart = !skipMigrations
        let app = try await buildApplication(configuration: configuration)
        try await app.runService()
    }
}
