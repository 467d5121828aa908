import ArgumentParser
import Foundation

/// The `sightline` command: the web server and the offline engine tools.
@main
struct Sightline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sightline",
        abstract: "Team review server for vision-language prompts.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UserCommand.self,
            ScoreCommand.self, GradCAMCommand.self, ClassifyCommand.self, GateCommand.self,
        ]
    )

    /// Runs the chosen subcommand. Usage errors exit 2 (cli.md), not ArgumentParser's default 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
