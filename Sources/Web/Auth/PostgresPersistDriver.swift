import Foundation
import Hummingbird
import Logging
import Storage

/// Hummingbird's key/value `PersistDriver` over the `sessions` table, used by `SessionMiddleware`.
public struct PostgresPersistDriver: PersistDriver {
    let sessions: SessionRepository

    public init(sessions: SessionRepository) {
        self.sessions = sessions
    }

    public func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        guard try await sessions.createSession(key: key, json: try Self.encodeJSON(value), expiresIn: expires) else {
            throw PersistError.duplicate
        }
    }

    public func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try await sessions.upsertSession(key: key, json: try Self.encodeJSON(value), expiresIn: expires)
    }

    public func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: type)?.object
    }

    public func getWithTTL<Object: Codable & Sendable>(
        key: String, as type: Object.Type
    ) async throws -> (object: Object, ttl: Duration?)? {
        guard let found = try await sessions.findSession(key: key) else { return nil }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            let object = try decoder.decode(Object.self, from: Data(found.json.utf8))
            return (object, found.expiresIn)
        } catch {
            throw PersistError.invalidConversion
        }
    }

    public func remove(key: String) async throws {
        try await sessions.deleteSession(key: key)
    }

    static func encodeJSON<Object: Encodable>(_ value: Object) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
