import Foundation

/// Finds one of the repository's top-level resource folders (`migrations`, `templates`, `static`) at run time.
///
/// Order: the environment variable (e.g. `SIGHTLINE_MIGRATIONS_DIR`), then `<working dir>/<name>`, then the
/// folders above the running executable (a `swift build` product lives in `<repo>/.build/<triple>/<config>/`).
public struct ResourceDirectory: Sendable {
    /// Folder name at the repository root.
    public var name: String
    /// Environment variable that overrides the search.
    public var environmentKey: String

    public init(name: String, environmentKey: String) {
        self.name = name
        self.environmentKey = environmentKey
    }

    /// The `migrations/` folder (`SIGHTLINE_MIGRATIONS_DIR`).
    public static let migrations = ResourceDirectory(name: "migrations", environmentKey: "SIGHTLINE_MIGRATIONS_DIR")
    /// The `templates/` folder (`SIGHTLINE_TEMPLATES_DIR`).
    public static let templates = ResourceDirectory(name: "templates", environmentKey: "SIGHTLINE_TEMPLATES_DIR")
    /// The `static/` folder (`SIGHTLINE_STATIC_DIR`).
    public static let staticFiles = ResourceDirectory(name: "static", environmentKey: "SIGHTLINE_STATIC_DIR")

    /// Returns the absolute path of the folder, or throws `StorageError.resourceDirectoryNotFound`.
    public func locatePath(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let override = environment[environmentKey], !override.isEmpty {
            guard Self.isDirectory(override) else {
                throw StorageError.resourceDirectoryNotFound("\(environmentKey)=\(override) is not a folder")
            }
            return URL(fileURLWithPath: override).standardizedFileURL.path
        }
        var candidates: [URL] = []
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        candidates.append(cwd)
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        for base in candidates {
            let path = base.appendingPathComponent(name).standardizedFileURL.path
            if Self.isDirectory(path) { return path }
        }
        throw StorageError.resourceDirectoryNotFound(
            "no '\(name)' folder in the working directory or above the executable; set \(environmentKey)"
        )
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
