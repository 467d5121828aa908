import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `sightline gate`: asks a Sightline server whether a prompt version is signed off. Exit status 0 only when it is
/// approved and not stale, 1 when it is rejected, stale or pending, 2 on any error (bad arguments, server
/// unreachable, token refused, unknown prompt version), so a deployment pipeline can refuse an unapproved prompt.
struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Exit 0 only when a prompt version is approved and not stale (1: not approved, 2: error).",
        discussion: """
            Reads GET <server>/api/v1/prompt-versions/<id>/status with the API token. The token may also come \
            from SIGHTLINE_TOKEN, which keeps it out of process listings.
            """
    )

    @Option(help: "Base URL of the Sightline server, e.g. https://sightline.example.org") var server: String?
    @Option(help: "An API token of the prompt version's project (or set SIGHTLINE_TOKEN).") var token: String?
    @Option(name: .customLong("prompt-version"), help: "The prompt version id (UUID).") var promptVersion: String?
    @Option(help: "Seconds to wait for the server.") var timeout: Double = 30
    @Flag(help: "Print the server's JSON answer instead of a summary.") var json = false

    /// A failure that exits with status 2 after printing `message` on stderr.
    struct GateFailure: Error {
        var message: String
    }

    func run() async throws {
        do {
            let approved = try await checkApproval()
            if !approved { throw ExitCode(1) }
        } catch let failure as GateFailure {
            FileHandle.standardError.write(Data("sightline gate: \(failure.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// `true` when approved and current; prints the status line(s) on stdout.
    func checkApproval() async throws -> Bool {
        guard let server, !server.isEmpty else { throw GateFailure(message: "--server URL is required") }
        let secret = token ?? ProcessInfo.processInfo.environment["SIGHTLINE_TOKEN"] ?? ""
        guard !secret.isEmpty else { throw GateFailure(message: "--token (or SIGHTLINE_TOKEN) is required") }
        guard let promptVersion, UUID(uuidString: promptVersion) != nil else {
            throw GateFailure(message: "--prompt-version must be a prompt version id (UUID)")
        }
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: "\(base)/api/v1/prompt-versions/\(promptVersion.lowercased())/status"),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else {
            throw GateFailure(message: "--server must be an http(s) URL, got '\(server)'")
        }
        guard timeout > 0, timeout.isFinite else { throw GateFailure(message: "--timeout must be positive") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.setValue("Bearer \(secret)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let (data, status) = try await Self.fetch(request)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard status == 200 else {
            let error = object?["error"] as? [String: Any]
            let message = (error?["message"] as? String) ?? "HTTP \(status)"
            let code = (error?["code"] as? String).map { " (\($0))" } ?? ""
            throw GateFailure(message: "the server answered \(status)\(code): \(message)")
        }
        guard let object, let state = object["status"] as? String, let digest = object["digest"] as? String else {
            throw GateFailure(message: "the server's answer is not a status document")
        }
        let signedDigest = object["signed_digest"] as? String
        if json {
            print(String(decoding: data, as: UTF8.self))
        } else {
            let name = object["prompt"] as? String ?? "prompt"
            let version = (object["version"] as? NSNumber)?.intValue ?? 0
            print("\(name) v\(version): \(state) (digest \(digest.prefix(12))…)")
            for change in object["changes"] as? [[String: Any]] ?? [] {
                if let message = change["message"] as? String { print("  changed: \(message)") }
            }
        }
        return state == "approved" && signedDigest == digest
    }

    /// One GET; the body and the HTTP status. Network failures become `GateFailure`.
    static func fetch(_ request: URLRequest) async throws -> (Data, Int) {
        let box = ResultBox()
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { continuation in
            box.store(continuation)
            let task = session.dataTask(with: request) { data, response, error in
                if let error {
                    box.resume(.failure(GateFailure(message: "cannot reach the server: \(error.localizedDescription)")))
                } else if let http = response as? HTTPURLResponse {
                    box.resume(.success((data ?? Data(), http.statusCode)))
                } else {
                    box.resume(.failure(GateFailure(message: "no HTTP response")))
                }
            }
            task.resume()
        }
    }

    /// Resumes the continuation exactly once from URLSession's callback thread.
    final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<(Data, Int), any Error>?

        func store(_ continuation: CheckedContinuation<(Data, Int), any Error>) {
            lock.lock()
            self.continuation = continuation
            lock.unlock()
        }

        func resume(_ result: Result<(Data, Int), any Error>) {
            lock.lock()
            let continuation = self.continuation
            self.continuation = nil
            lock.unlock()
            continuation?.resume(with: result)
        }
    }
}
