import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Storage
import Web

/// `sightline user add`: creates an account from the shell.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage user accounts.", subcommands: [AddUserCommand.self])
}

/// `sightline user add --email E --role admin|member [--name N]`; the password comes from stdin when piped,
/// otherwise one is generated and printed once.
struct AddUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create a user. A password piped on stdin is used; otherwise one is generated and printed once.")

    /// Account-wide role.
    enum Role: String, ExpressibleByArgument, CaseIterable {
        case admin, member
    }

    @Option(help: "E-mail address used to sign in.") var email: String
    @Option(help: "admin (manages users, sees every project) or member.") var role: Role = .member
    @Option(help: "Display name (defaults to the e-mail address).") var name: String?
    @Flag(help: "Only create the user when the database has no user yet (first start of scripts/serve).")
    var ifNoUsers = false

    func run() async throws {
        var logger = Logger(label: "sightline.user")
        logger.logLevel = .warning
        let environment = try AppConfiguration.fromEnvironment()
        // A password piped on stdin is used; a terminal, or stdin at end of file (`</dev/null`, as scripts/serve
        // runs it), gets a generated one, printed once.
        let piped = isatty(FileHandle.standardInput.fileDescriptor) == 0
        var password = piped ? (readLine(strippingNewline: true) ?? "") : ""
        var generated = false
        if password.isEmpty {
            password = PasswordHasher.generatePassword()
            generated = true
        } else if let problem = PasswordHasher.checkPasswordStrength(password) {
            throw ValidationError("password rejected: \(problem)")
        }
        let hash = try await PasswordHasher(cost: environment.bcryptCost).hashPassword(password)
        let database = try DatabaseConfiguration.fromEnvironment()
        let client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger)
        let users = UserRepository(client: client, logger: logger)
        let (email, name, isAdmin) = (self.email, self.name ?? "", self.role == .admin)
        let onlyFirst = ifNoUsers
        let user = try await DatabaseSession.withRunningClient(client) { () async throws -> User? in
            if onlyFirst, try await users.countUsers() > 0 { return nil }
            return try await users.createUser(email: email, displayName: name, passwordHash: hash, isAdmin: isAdmin)
        }
        guard let user else {
            print("Users exist already; no account created.")
            return
        }
        print("Created \(role.rawValue) \(user.email) (id \(user.id)).")
        if generated {
            print("E-mail:   \(user.email)")
            print("Password: \(password)   (shown once)")
        }
    }
}
