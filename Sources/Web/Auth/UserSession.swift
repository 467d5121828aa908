import Foundation
import Storage

/// What the `sessions` table holds for a signed-in browser (as JSON; `userID` is also used by SQL to end every
/// session of a user).
public struct UserSession: Codable, Sendable, Equatable {
    public var userID: User.ID
    public var createdAt: Date

    public init(userID: User.ID, createdAt: Date = Date()) {
        self.userID = userID
        self.createdAt = createdAt
    }
}
