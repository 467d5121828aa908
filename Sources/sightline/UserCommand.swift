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
        abstract: "Create a user. The password is read from stdin when piped, else generated and printed once.")

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
        let piped = isatty(FileHandle.standardInput.fileDescriptor) == 0
        var password: String
        var generated = false
        if piped {
            password = (readLine(strippingNewline: true) ?? "")
            if password.isEmpty {
                throw ValidationError("stdin is empty: pipe a password, or run without stdin to generate one")
            }
            if let problem = PasswordHasher.checkPasswordStrength(password) {
                throw ValidationError("password rejected: \(problem)")
            }
        } else {
            password = PasswordHasher.generatePassword()
            generated = true
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
