/// Why the migrator refused to run.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `.sql` file whose name is not `NNNN_name.sql`.
    case invalidFileName(String)
    /// A file that could not be read as UTF-8.
    case unreadableFile(String)
    /// Two files share a version number.
    case duplicateVersion(Int)
    /// An already-applied migration file was edited afterwards (recorded vs. current checksum).
    case checksumMismatch(version: Int, name: String, recorded: String, current: String)
    /// A migration's statement failed; its transaction was rolled back and nothing of it was recorded.
    case statementFailed(version: Int, name: String, message: String)
    /// The database records a migration that no longer exists as a file.
    case missingFile(version: Int, name: String)

    public var description: String {
        switch self {
        case .invalidFileName(let file):
            "migration file '\(file)' is not named NNNN_verb_noun.sql"
        case .unreadableFile(let path):
            "cannot read migration file '\(path)' as UTF-8"
        case .duplicateVersion(let version):
            "two migration files have version \(version)"
        case .checksumMismatch(let version, let name, let recorded, let current):
            """
            migration \(String(format: "%04d", version))_\(name).sql was edited after it was applied \
            (recorded checksum \(recorded.prefix(12))…, file now \(current.prefix(12))…); refusing to run. \
            Migrations are forward-only: restore the file and add a new migration instead.
            """
        case .statementFailed(let version, let name, let message):
            "migration \(String(format: "%04d", version))_\(name).sql failed and was rolled back: \(message)"
        case .missingFile(let version, let name):
            "migration \(String(format: "%04d", version))_\(name).sql is recorded as applied but its file is missing"
        }
    }
}
