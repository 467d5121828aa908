import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
import Web

/// Stops and restarts the PostgreSQL that `scripts/test` started (through the `SIGHTLINE_TEST_PG_CTL` script)
/// while one server keeps running. It disturbs every other database test, so `scripts/test` runs it alone,
/// after the others, with `SIGHTLINE_TEST_RESTART=1`.
@Suite("PostgreSQL restart", .serialized)
struct PostgresRestartTests {
    static var isEnabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["SIGHTLINE_TEST_RESTART"] == "1" && environment["SIGHTLINE_TEST_PG_CTL"] != nil
    }

    @Test(
        "killing PostgreSQL turns /healthz 503, restarting it turns it 200 again, without restarting the server",
        .enabled(if: isEnabled, "set by scripts/test (SIGHTLINE_TEST_RESTART=1, SIGHTLINE_TEST_PG_CTL)"))
    func healthzFollowsPostgres() async throws {
        let environment = ProcessInfo.processInfo.environment
        let pgctl = try #require(environment["SIGHTLINE_TEST_PG_CTL"])
        let baseURL = try #require(environment["DATABASE_URL"])
        try await TestDatabase.withSchema { schema in
            let root = TestDatabase.repositoryRoot()
            // The application owns its PostgresClient, made from a URL (as under `sightline serve`), on a migrated
            // schema of its own so that its background workers find their tables.
            let separator = baseURL.contains("?") ? "&" : "?"
            let configuration = AppConfiguration(
                databaseURL: baseURL + separator + "search_path=" + schema.name, host: "127.0.0.1", port: 0,
                logLevel: .critical, bcryptCost: 4, templatesDirectory: root.appendingPathComponent("templates").path,
                staticDirectory: root.appendingPathComponent("static").path)
            var logger = TestDatabase.makeLogger()
            logger.logLevel = .critical
            let app = try await buildApplication(configuration: configuration, logger: logger)
            try await app.test(.live) { client in
                #expect(try await Self.waitForHealth(client, status: .ok), "healthy at start")
                try Self.runControlScript(pgctl, "stop")
                var restarted = false
                do {
                    #expect(
                        try await Self.waitForHealth(client, status: .serviceUnavailable), "503 while PostgreSQL is down")
                    try Self.runControlScript(pgctl, "start")
                    restarted = true
                    #expect(try await Self.waitForHealth(client, status: .ok), "200 again after PostgreSQL is back")
                } catch {
                    if !restarted { try? Self.runControlScript(pgctl, "start") }
                    throw error
                }
            }
        }
    }

    /// Polls `/healthz` until it answers `status` (bounded number of polls, half a second apart).
    static func waitForHealth(_ client: any TestClientProtocol, status: HTTPResponse.Status) async throws -> Bool {
        for attempt in 0..<240 {
            let response = try await client.execute(uri: "/healthz", method: .get)
            if response.status == status {
                print("healthz \(status.code) after \(attempt + 1) poll(s)")
                return true
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        return false
    }

    static func runControlScript(_ path: String, _ argument: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [path, argument]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError("\(path) \(argument) exited with \(process.terminationStatus)")
        }
    }
}
