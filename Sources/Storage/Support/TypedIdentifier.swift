import Foundation
import NIOCore
import PostgresNIO

/// A UUID-backed identifier bound to one kind of record (`User.ID`, `Project.ID`, …), so that an ID of one
/// kind can never be passed where another is expected. It travels to and from PostgreSQL as a `uuid`.
public protocol TypedIdentifier: Hashable, Sendable, Codable, CustomStringConvertible, LosslessStringConvertible,
    PostgresNonThrowingEncodable, PostgresDecodable
{
    /// The underlying UUID.
    var rawValue: UUID { get }
    /// Wraps an existing UUID.
    init(rawValue: UUID)
}

extension TypedIdentifier {
    /// A fresh random identifier.
    public static func generate() -> Self { Self(rawValue: UUID()) }

    /// Parses the canonical textual form (as used in URLs); `nil` for anything else.
    public init?(_ description: String) {
        guard let uuid = UUID(uuidString: description) else { return nil }
        self.init(rawValue: uuid)
    }

    /// The lower-case canonical textual form.
    public var description: String { rawValue.uuidString.lowercased() }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(UUID.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static var psqlType: PostgresDataType { UUID.psqlType }
    public static var psqlFormat: PostgresFormat { UUID.psqlFormat }

    public func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from byteBuffer: inout ByteBuffer,
        type: PostgresDataType,
        format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        self.init(rawValue: try UUID(from: &byteBuffer, type: type, format: format, context: context))
    }
}
