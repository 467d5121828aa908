import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

/// `sightline gate` (the real executable) against a live server: 0 only when approved and not stale, 1 when
/// pending, rejected or stale, 2 on errors.
@Suite("Gate command")
struct GateCommandTests {
    /// Runs `sightline gate ARGS` (without a `SIGHTLINE_TOKEN` from the test's environment); returns
    /// (status, stdout, stderr).
    static func runGate(_ arguments: [String], environment extra: [String: String] = [:]) async throws
        -> (Int32, String, String)
    {
        var changes: [String: String?] = ["SIGHTLINE_TOKEN": nil]
        for (key, value) in extra { changes[key] = value }
        let result = try await SightlineExecutable.run(["gate"] + arguments, environment: changes)
        return (result.status, result.out, result.err)
    }

    @Test("exit codes: pending 1, approved 0, stale 1, rejected 1, errors 2")
    func exitCodes() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let (cat, version, _) = try await f.makeScoredRun()
            let reviewer = try f.user("reviewer")
            let (_, token) = try await f.tokens.createToken(projectID: f.project.id, userID: reviewer.id, name: "CI")
            let app = try await makeTestApplication(client: f.client, logger: f.logger)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let server = "http://127.0.0.1:\(port)"
                let args = ["--server", server, "--token", token, "--prompt-version", version.id.description]

                var (status, out, err) = try await Self.runGate(args)
                #expect(status == 1, "pending: \(out) \(err)")
                #expect(out.contains("pending"))

                func signOff(_ decision: SignOffDecision, _ comment: String) async throws {
                    _ = try await f.signOffs.createSignOff(
                        NewSignOff(
                            promptVersionID: version.id, reviewerID: reviewer.id, reviewerName: reviewer.displayName,
                            decision: decision, comment: comment, expectedDigest: nil, expectedSequence: nil))
                }
                try await signOff(.approve, "")
                (status, out, err) = try await Self.runGate(args)
                #expect(status == 0, "approved: \(out) \(err)")
                #expect(out.contains("approved"))
                // The token from the environment works too.
                (status, _, _) = try await Self.runGate(
                    ["--server", server + "/", "--prompt-version", version.id.description],
                    environment: ["SIGHTLINE_TOKEN": token])
                #expect(status == 0)

                try await f.saveRegions(cat, x: 7)
                (status, out, err) = try await Self.runGate(args)
                #expect(status == 1, "stale: \(out) \(err)")
                #expect(out.contains("stale"))
                #expect(out.contains("Regions of cat.png changed: v1 → v2."))

                try await f.scoreAll()
                try await signOff(.reject, "needs work")
                (status, out, _) = try await Self.runGate(args)
                #expect(status == 1)
                #expect(out.contains("rejected"))

                // Errors → 2.
                (status, _, err) = try await Self.runGate(
                    ["--server", server, "--token", "sl_wrong", "--prompt-version", version.id.description])
                #expect(status == 2)
                #expect(err.contains("401"))
                (status, _, err) = try await Self.runGate(
                    ["--server", server, "--token", token, "--prompt-version", PromptVersion.ID.generate().description])
                #expect(status == 2)
                #expect(err.contains("404"))
                (status, _, _) = try await Self.runGate(["--server", server, "--token", token, "--prompt-version", "nope"])
                #expect(status == 2)
                (status, _, _) = try await Self.runGate(["--token", token, "--prompt-version", version.id.description])
                #expect(status == 2)
                (status, _, err) = try await Self.runGate(
                    ["--server", "http://127.0.0.1:1", "--token", token, "--prompt-version", version.id.description,
                     "--timeout", "5"])
                #expect(status == 2, "unreachable: \(err)")
            }
        }
    }
}
