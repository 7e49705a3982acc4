// `load NAME MODEL`: names a model for the rest of a session (REPL, notebook cells, `lmlab lesson run`), so later
// commands say `--model NAME`. The model is loaded at once, so a wrong path or a missing download is reported here.
import ArgumentParser
import Foundation
import Lab
import LabCore

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

    func validate() throws {
        if let name, name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            throw ValidationError(Learner.text("'\(name)' is not a usable name. HINT: use letters, digits, - and _, e.g. `load base tiny-ernie`.",
                                               "“\(name)”不能用作名字。HINT：只用字母、数字、- 和 _，例如 `load base tiny-ernie`。"))
        }
        if forget && (name == nil || model != nil) { throw ValidationError(Learner.text("--forget takes just the NAME: `load --forget base`.", "--forget 只接一个名字：`load --forget base`。")) }
        if !forget && name != nil && model == nil { throw ValidationError(Learner.text(
            "give the model too: `load \(name!) tiny-ernie` (a folder or a name from `lmlab models`).",
            "还要给出模型：`load \(name!) tiny-ernie`（一个文件夹，或 `lmlab models` 列出的模型名）。")) }
    }

    func run() throws {
        OutputPrinter.print(.text(try message()))
    }

    /// What the command did, in the learner's language (Lab's SessionModels does it).
    func message() throws -> String { try SessionModels.shared.load(name, model, forget: forget) }
}
