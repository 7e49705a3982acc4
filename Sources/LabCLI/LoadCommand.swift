// `load NAME MODEL`: names a model for the rest of a session (REPL, notebook cells, `lmlab lesson run`), so later
// commands say `--model NAME`. The model is loaded at once, so a wrong path or a missing download is reported here.
import ArgumentParser
import Lab

struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Name a model for the rest of the session: later commands take --model NAME.",
        discussion: CommandHelp.load)

    @Argument(help: "The name to use (letters, digits, - and _).")
    var name: String?
    @Argument(help: "A model folder or a model name (see `lmlab models`).")
    var model: String?
    @Flag(name: .long, help: "Remove NAME from the session.")
    var forget = false

    func validate() throws { try usage { try SessionModels.check(name, model, forget: forget) } }

    func run() throws {
        OutputPrinter.print(.text(try message()))
    }

    /// What the command did, in the learner's language (Lab's SessionModels does it).
    func message() throws -> String { try SessionModels.shared.load(name, model, forget: forget) }
}
