import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

/// The development and acceptance routes × every role: who may see prompts, runs, comparisons and reviews, who may
/// create prompts, runs, built-in heatmaps and API tokens (engineers), who may sign off (reviewers), and that a
/// refused request changes nothing. Administrators may do everything; non-members get 404.
@Suite("Role matrix: development and acceptance")
struct WorkflowRoleMatrixTests {
    typealias Expected = [String: HTTPResponse.Status]

    static let roles = ["manager", "engineer", "reviewer", "outsider", "admin"]

    static func only(_ allowed: Set<String>, _ success: HTTPResponse.Status) -> Expected {
        var expected: Expected = [:]
        for role in roles {
            expected[role] = allowed.contains(role) || role == "admin" ? success : (role == "outsider" ? .notFound : .forbidden)
        }
        return expected
    }

    static let members: Expected = only(["manager", "engineer", "reviewer"], .ok)

    @Test("pages are open to members; prompt, run, built-in and token actions to engineers; sign-off to reviewers")
    func developmentAndAcceptanceRoutes() async throws {
        try await TestDatabase.withSchema { schema in
            let f = try await ReviewTestFixture.make(schema)
            let cat = try await f.addImage("cat.png")
            try await f.saveRegions(cat, label: "tabby")
            let version = try await f.createPrompt()
            let run = try await f.createRun(version, cat, label: "tabby")
            // Built-in jobs go to another prompt: the application's own worker may compute them at any moment, and a
            // run of the reviewed version still being scored would (rightly) block its sign-off.
            let builtInVersion = try await f.createPrompt("Describe the animal.")
            try await f.scoreAll()
            let p = "/projects/\(f.project.id)"
            let pages: [(String, String)] = [
                ("prompt list", "\(p)/prompts"), ("prompt page", "\(p)/prompts/\(version.id)"),
                ("run page", "\(p)/runs/\(run.id)"), ("image runs", "\(p)/images/\(cat.id)/runs"),
                ("comparison", "\(p)/compare"), ("comparison CSV", "\(p)/compare.csv"),
                ("comparison cell", "\(p)/compare/images/\(cat.id)"),
                ("review", "\(p)/prompt-versions/\(version.id)/review"), ("sign-offs", "\(p)/signoffs"),
                ("sign-off badge", "\(p)/prompt-versions/\(version.id)/signoff-status.svg"),
                ("audit", "\(p)/audit"), ("audit CSV", "\(p)/audit.csv"),
                ("built-in page", "\(p)/images/\(cat.id)/builtin"),
            ]
            let heatmap = NPYWriter.float32(ReviewTestFixture.heatmap("tabby", good: true).map)
            let countsBefore = try await Self.countRows(f)

            try await withReviewApp(f) { client in
                for role in Self.roles {
                    let browser = try await Browser.signedIn(role, client: client)
                    for (name, path) in pages {
                        let response = try await browser.get(path)
                        #expect(response.status == Self.members[role], "\(role) → \(name): \(response.status.code)")
                    }
                    let engineerPage = Self.only(["engineer"], .ok)
                    let engineerForm = Self.only(["engineer"], .seeOther)
                    for (name, path) in [("new run form", "\(p)/runs/new"), ("API tokens", "\(p)/tokens")] {
                        let response = try await browser.get(path)
                        #expect(response.status == engineerPage[role], "\(role) → \(name): \(response.status.code)")
                    }
                    let forms: [(String, String, [(String, String)], Expected)] = [
                        ("create prompt", "\(p)/prompts", [("name", "By \(role)"), ("text", "Describe it.")], engineerForm),
                        ("edit prompt", "\(p)/prompts/\(version.id)/edit",
                         [("name", version.name), ("text", "Describe the pet, \(role).")], engineerForm),
                        ("create token", "\(p)/tokens", [("name", "ci-\(role)")], Self.only(["engineer"], .ok)),
                        ("queue built-in heatmaps", "\(p)/images/\(cat.id)/builtin",
                         [("prompt_version_id", builtInVersion.id.description), ("layer", "head"), ("class_0", "tabby")],
                         engineerForm),
                        ("comment", "\(p)/runs/\(run.id)/comments",
                         [("shape", "point"), ("x", "3"), ("y", "3"), ("body", "from \(role)")],
                         Self.only(["manager", "engineer", "reviewer"], .seeOther)),
                        ("sign off", "\(p)/prompt-versions/\(version.id)/signoffs",
                         [("decision", "reject"), ("comment", "not yet (\(role))")], Self.only(["reviewer"], .seeOther)),
                    ]
                    for (name, path, form, expected) in forms {
                        let response = try await browser.post(path, form: form)
                        #expect(response.status == expected[role], "\(role) → \(name): \(response.status.code)")
                    }
                    let upload = try await browser.postMultipart(
                        "\(p)/runs",
                        fields: [("prompt_version_id", version.id.description), ("image_id", cat.id.description),
                                 ("model", "llava"), ("description", "A tabby.")],
                        files: [(field: "heatmaps", name: "tabby.npy", bytes: heatmap)], token: .query, acceptJSON: false)
                    #expect(upload.status == engineerForm[role], "\(role) → upload run: \(upload.status.code)")
                    try await f.scoreAll()  // so that no run is still being scored at the next sign-off
                }
            }
            // Refused requests changed nothing: the rows that exist are exactly those of the allowed requests.
            let countsAfter = try await Self.countRows(f)
            #expect(countsAfter.prompts - countsBefore.prompts == 2 * 2)  // engineer and admin: create + new version
            #expect(countsAfter.runs - countsBefore.runs == 2)  // uploads by engineer and admin
            #expect(countsAfter.tokens - countsBefore.tokens == 2)
            #expect(countsAfter.jobs - countsBefore.jobs == 2)
            #expect(countsAfter.comments - countsBefore.comments == 4)  // three members and the admin
            #expect(countsAfter.signOffs - countsBefore.signOffs == 2)  // reviewer and admin
        }
    }

    struct Counts { var prompts, runs, tokens, jobs, comments, signOffs: Int }

    static func countRows(_ f: ReviewTestFixture) async throws -> Counts {
        let rows = try await f.client.query(
            """
            SELECT (SELECT count(*) FROM prompt_versions), (SELECT count(*) FROM runs WHERE source <> 'builtin'),
                (SELECT count(*) FROM api_tokens), (SELECT count(*) FROM builtin_heatmap_jobs),
                (SELECT count(*) FROM review_comments), (SELECT count(*) FROM sign_offs)
            """, logger: f.logger)
        for try await (a, b, c, d, e, g) in rows.decode((Int, Int, Int, Int, Int, Int).self) {
            return Counts(prompts: a, runs: b, tokens: c, jobs: d, comments: e, signOffs: g)
        }
        throw TestSupportError("no counts")
    }
}
