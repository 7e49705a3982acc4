// `lmlab train …`: train the lab's own models, with live progress (loss, tokens/s, ETA), Ctrl-C that stops after
// a whole step and keeps a checkpoint, and --resume that continues from it.
//
//   $ lmlab train tiny-ernie --steps 3000
//   step 120/3000  loss 3.412 (avg 3.58)  9,870 tok/s  ETA 24:41
//   $ lmlab train tiny-instruct --base Models/tiny-ernie
//
// Each model's subcommand lives in its own file (TrainTinyErnieCommand.swift, …); this file is the parent and the
// output folder they share; progress goes through Lab's TrainingProgressLine.
import ArgumentParser
import Foundation
import Lab
import LabCore

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the lab's own models: live loss, tokens/s and ETA; Ctrl-C keeps a checkpoint, --resume continues.",
        discussion: """
        Examples:
          lmlab train tiny-ernie                      the base model, on the stories
          lmlab train tiny-ernie --steps 200 --out /tmp/t   a short run elsewhere
          lmlab train tiny-ernie --resume             continue after Ctrl-C
          lmlab train tiny-ernie-moe                  the same, as a mixture of experts
          lmlab train tiny-instruct                   SFT of Models/tiny-ernie (chat)
          lmlab train tiny-ernie --bench 20           time 20 steps, save nothing
        Without --out a model goes to your own folder, <state>/models/<name> ($XDG_STATE_HOME/lmlab, default \
        ~/.local/state/lmlab): the models shipped in Models/ stay as the lessons quote them. To replace one on \
        purpose, name it: --out Models/<name>.
        """,
        subcommands: [TrainTinyErnieCommand.self, TrainTinyErnieMoECommand.self, TrainTinyInstructCommand.self, TrainNNLMCommand.self, TrainRNNCommand.self, TrainGRUCommand.self, TrainSeq2SeqCommand.self])
}

/// The folder a training run writes: --out as given, else <state>/models/<name> — never the shipped Models/<name>
/// unless --out names it.
func trainingFolder(out: String?, name: String) -> URL {
    out.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        ?? ProjectPaths.trainedModels().appendingPathComponent(name, isDirectory: true)
}

/// Says, before training starts, where the model will go when --out was left out.
func announceTrainingFolder(_ folder: URL, name: String, outGiven: Bool) {
    guard !outGiven else { return }
    let shipped = ProjectPaths.shippedModels().map { $0.appendingPathComponent(name).path }
    if shipped.map({ FileManager.default.fileExists(atPath: $0) }) == true {
        print(Learner.text("Writing \(folder.path) (your own copy; the shipped Models/\(name) stays as it is; --out DIR picks another folder).",
                           "写入 \(folder.path)（你自己的副本；随附的 Models/\(name) 保持不变；用 --out DIR 换一个文件夹）。"))
    } else {
        print(Learner.text("Writing \(folder.path) (your own models folder; --out DIR picks another folder).",
                           "写入 \(folder.path)（你自己的模型文件夹；用 --out DIR 换一个文件夹）。"))
    }
}

/// After a model is saved: in a session (the REPL, a lesson's cells) its name now means this folder, so a later
/// `--model NAME` (or the command's default model) finds what was just trained; elsewhere, how to use it.
/// - Parameter usage: a command line that uses the folder, shown outside a session.
func rememberTrainedModel(_ name: String, at folder: URL, usage: String) {
    if SessionModels.shared.interactive {
        SessionModels.shared.bind(name, to: folder.path)
        print(Learner.text("In this session, \(name) now means this model (\(folder.path)).",
                           "在本次会话中，\(name) 现在指这个模型（\(folder.path)）。"))
    } else {
        print(Learner.text("Use it: ", "用法：") + usage)
    }
}
