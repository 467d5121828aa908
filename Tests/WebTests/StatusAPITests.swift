import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

/// `GET /api/v1/prompt-versions/{id}/status`: statuses, digests, changes and the token checks.
@Suite("Status API")
struct StatusAPITests {
    static func getStatus(_ client: any TestClientProtocol, _ versionID: PromptVersion.ID, token: String?) async throws
        -> (HTTPResponse.Status, [String: Any])
    {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.execute(
            uri: "/api/v1/prompt-versions/\(versionID)/status", method: .get, headers: headers)
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
        return (response.status, object)
    }

    @Test("pending → approved → stale (with changes) → approved again; token refusals as JSON errors")
    func statusLifecycle() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let (cat, version, _) = try await f.makeScoredRun()
            let reviewer = try f.user("reviewer")
            let (_, token) = try await f.tokens.createToken(projectID: f.project.id, userID: reviewer.id, name: "CI")
            try await withReviewApp(f) { client in
                var (status, body) = try await Self.getStatus(client, version.id, token: token)
                #expect(status == .ok)
                #expect(body["status"] as? String == "pending")
                #expect((body["digest"] as? String)?.count == 64)
                #expect(body["signed_digest"] is NSNull)

                let signOff = try await f.signOffs.createSignOff(
                    NewSignOff(
                        promptVersionID: version.id, reviewerID: reviewer.id, reviewerName: reviewer.displayName,
                        decision: .approve, comment: "", expectedDigest: nil, expectedSequence: nil))
                (status, body) = try await Self.getStatus(client, version.id, token: token)
                #expect(body["status"] as? String == "approved")
                #expect(body["digest"] as? String == signOff.digest)
                #expect(body["signed_digest"] as? String == signOff.digest)
                #expect((body["sign_off"] as? [String: Any])?["decision"] as? String == "approve")

                try await f.saveRegions(cat, x: 9)
                (status, body) = try await Self.getStatus(client, version.id, token: token)
                #expect(body["status"] as? String == "stale")
                #expect(body["digest"] as? String != signOff.digest)
                let changes = body["changes"] as? [[String: Any]] ?? []
                #expect(changes.map { $0["kind"] as? String } == ["regions"])
                #expect(changes.first?["image"] as? String == "cat.png")
                #expect(body["scoring_in_progress"] is NSNumber)

                // Errors: JSON {"error": {"code", "message"}} with the right status.
                (status, body) = try await Self.getStatus(client, version.id, token: nil)
                #expect(status == .unauthorized)
                #expect((body["error"] as? [String: Any])?["code"] as? String == "unauthorized")
                (status, body) = try await Self.getStatus(client, version.id, token: "sl_not_a_token")
                #expect(status == .unauthorized)
                (status, body) = try await Self.getStatus(client, PromptVersion.ID.generate(), token: token)
                #expect(status == .notFound)
                #expect((body["error"] as? [String: Any])?["code"] as? String == "not_found")

                // A token of another project does not see this version.
                let other = try await f.projects.createProject(name: "Other", description: "", creator: reviewer.id)
                let (_, otherToken) = try await f.tokens.createToken(projectID: other.id, userID: reviewer.id, name: "x")
                (status, _) = try await Self.getStatus(client, version.id, token: otherToken)
                #expect(status == .notFound)
                // A token whose owner left the project stops working.
                try await f.projects.deleteMember(projectID: f.project.id, userID: reviewer.id)
                (status, _) = try await Self.getStatus(client, version.id, token: token)
                #expect(status == .notFound)
            }
        }
    }
}
