import ArgumentParser

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
}
