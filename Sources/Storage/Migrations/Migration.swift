import Crypto
import Foundation

/// One `migrations/NNNN_verb_noun.sql` file: a single SQL statement, applied once, never edited afterwards.
public struct Migration: Sendable, Equatable {
    /// The number in the file name (`0003` → 3); migrations apply in this order.
    public var version: Int
    /// The rest of the file name without extension (`create_projects`).
    public var name: String
    /// The statement.
    public var sql: String
    /// Lower-case hex SHA-256 of the file's bytes, recorded when applied.
    public var checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = Self.computeChecksum(Data(sql.utf8))
    }

    /// Lower-case hex SHA-256 of `data`.
    public static func computeChecksum(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads every `NNNN_name.sql` file of `directory`, sorted by version. Other files are ignored; two files
    /// with the same version are an error.
    public static func loadMigrations(fromDirectory directory: String) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        var migrations: [Migration] = []
        for file in names where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]),
                stem[..<underscore].allSatisfy(\.isNumber)
            else {
                throw MigrationError.invalidFileName(file)
            }
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path), let sql = String(data: data, encoding: .utf8)
            else {
                throw MigrationError.unreadableFile(path)
            }
            var migration = Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
            migration.checksum = computeChecksum(data)
            migrations.append(migration)
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw MigrationError.duplicateVersion(next.version)
        }
        return migrations
    }
}
