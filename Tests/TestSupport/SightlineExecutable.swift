import Foundation

/// The `sightline` executable built next to the test bundle (or `$SIGHTLINE_BIN`), run as a real process by the
/// tests of its subcommands (`classify`, `gradcam`, `gate`).
public enum SightlineExecutable {
    /// No executable was found.
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String {
            "sightline executable not found next to the test bundle: build it (swift build --build-tests) or set SIGHTLINE_BIN"
        }
    }

    /// The executable's path: `$SIGHTLINE_BIN`, else a `sightline` file in the test bundle's folder or up to four
    /// folders above it.
    public static func locate() throws -> String {
        if let path = ProcessInfo.processInfo.environment["SIGHTLINE_BIN"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        var candidates: [URL] = [Bundle.main.bundleURL]
        if let first = CommandLine.arguments.first { candidates.append(URL(fileURLWithPath: first)) }
        for case let bundle as Bundle in Bundle.allBundles { candidates.append(bundle.bundleURL) }
        for candidate in candidates {
            var folder = candidate.standardizedFileURL
            for _ in 0..<5 {
                let path = folder.appendingPathComponent("sightline").path
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    FileManager.default.isExecutableFile(atPath: path)
                {
                    return path
                }
                folder.deleteLastPathComponent()
            }
        }
        throw NotFound()
    }

    /// Runs `sightline ARGUMENTS` with the test process's environment changed by `environment` (a `nil` value
    /// removes a variable) and returns (exit status, stdout, stderr). The output goes to temporary files and the
    /// exit is awaited through the termination handler, so no concurrency thread blocks on the child.
    public static func run(_ arguments: [String], environment changes: [String: String?] = [:]) async throws
        -> (status: Int32, out: String, err: String)
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in changes { environment[key] = value }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let out = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let err = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return (status, out, err)
    }
}
