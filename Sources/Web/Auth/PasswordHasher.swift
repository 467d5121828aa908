import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing and verification, run on NIO's thread pool so the event loops never block on it.
public struct PasswordHasher: Sendable {
    /// bcrypt cost (log2 rounds).
    public var cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    /// The bcrypt hash of `password`.
    public func hashPassword(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`.
    public func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A random password for `sightline user add` without stdin: 20 characters without look-alikes.
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    /// Why `password` is too weak, or `nil` when acceptable (at least 10 characters).
    public static func checkPasswordStrength(_ password: String) -> String? {
        if password.count < 10 { return "Use at least 10 characters." }
        if password.count > 200 { return "Use at most 200 characters." }
        return nil
    }
}
