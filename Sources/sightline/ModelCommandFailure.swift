/// A bad-input or usage failure of a model subcommand (`classify`, `gradcam`): printed, then exit status 2.
struct ModelCommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
